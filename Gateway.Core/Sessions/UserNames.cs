using System.Buffers;
using System.Globalization;
using System.Text;
using Gateway.Core.Protocol;

namespace Gateway.Core.Sessions;

/// <summary>
/// What a user name may contain, the form it is stored in, and the key that names are unique by and found by: NFKC,
/// case-folded, the four Turkic i's as one letter, runs of white space as one space.
/// </summary>
public static class UserNames
{
    private const NormalizationForm Compatibility = NormalizationForm.FormKC;

    /// <summary>
    /// The name to store for <paramref name="name"/> as a client sent it: its NFKC form without surrounding white space,
    /// letter case kept. 100 naming <paramref name="field"/> for an empty name or a control, invisible, private-use,
    /// unassigned or unpaired-surrogate character (with its code point and 1-based position).
    /// </summary>
    public static string Clean(string name, string field)
    {
        ArgumentNullException.ThrowIfNull(name);
        var position = 0;
        for (var i = 0; i < name.Length; position++)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
                throw Refused(field, "unpaired surrogates", name[i], position + 1);
            if (IsInvisible(rune))
                throw Refused(field, "control or invisible characters", rune.Value, position + 1);
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
                throw Refused(field, "private-use or unassigned characters", rune.Value, position + 1);
            i += used;
        }
        var cleaned = name.Normalize(Compatibility).Trim();
        return cleaned.Length > 0 ? cleaned : throw new GatewayException(ErrorCode.InvalidRequest, $"{field} must not be empty or only white space");
    }

    /// <summary>
    /// The key of <paramref name="name"/>: two names with the same key are one name. Any text has a key (an unpaired
    /// surrogate counts as U+FFFD), so a lookup by a name that <see cref="Clean"/> would refuse simply finds no one.
    /// </summary>
    public static string Key(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var folded = WellFormed(name).Normalize(Compatibility).Trim().ToUpperInvariant().ToLowerInvariant();
        var key = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            // Which of i, I, ı and İ are case pairs depends on the language (Turkish pairs i with İ and ı with I), so
            // "the same ignoring case" holds for all four in some language; .NET's invariant casing maps neither ı nor İ.
            if (c is 'ı' or 'İ')
                key.Append('i');
            else if (!char.IsWhiteSpace(c))
                key.Append(c);
            else if (key.Length == 0 || key[^1] != ' ')
                key.Append(' ');
        }
        return key.ToString().Normalize(Compatibility);
    }

    /// <summary>
    /// Fails when this runtime does not normalize (globalization-invariant mode, where <see cref="string.Normalize()"/>
    /// silently returns its input): names would then be unique only by their exact code points.
    /// </summary>
    public static void EnsureNormalization()
    {
        if (!string.Equals("\uFF41e\u0301".Normalize(Compatibility), "a\u00E9", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                "Unicode normalization does not work in this process (globalization-invariant mode?), so user names cannot be kept unique. " +
                "Run with InvariantGlobalization=false (as Gateway.csproj sets it) on a machine with ICU (libicu) installed.");
        }
    }

    // Unicode's Default_Ignorable_Code_Point outside Cf (which is refused whole): fillers and selectors that draw nothing.
    private static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || rune.Value is 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or (>= 0x180B and <= 0x180F) or 0x3164 or (>= 0xFE00 and <= 0xFE0F) or 0xFFA0
            or (>= 0xE0100 and <= 0xE01EF);

    private static GatewayException Refused(string field, string what, int codePoint, int position) =>
        new(ErrorCode.InvalidRequest, $"{field} must not contain {what} (U+{codePoint.ToString("X4", CultureInfo.InvariantCulture)} at position {position.ToString(CultureInfo.InvariantCulture)})");

    private static string WellFormed(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
            return text;
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
            builder.Append(rune.ToString());
        return builder.ToString();
    }
}
