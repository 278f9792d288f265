using System.Globalization;
using System.Text;

namespace Gateway.Core.Logging;

/// <summary>
/// Makes a client-supplied value safe for a log line: control, format and line-separator characters escaped (so a
/// name with a newline cannot forge a line of its own) and anything past <see cref="MaxChars"/> cut, with the length
/// it had, so no value can make a line large.
/// </summary>
public static class LogText
{
    /// <summary>The most characters of one value a log line carries.</summary>
    public const int MaxChars = 128;

    /// <summary>The value as it may appear in a log line; <c>null</c> stays null.</summary>
    public static string? Clip(string? value)
    {
        if (value is null)
            return null;
        var cut = value.Length > MaxChars;
        var kept = cut ? value.AsSpan(0, MaxChars) : value.AsSpan();
        if (!cut && !NeedsEscape(kept))
            return value;

        var text = new StringBuilder(kept.Length + 32);
        foreach (var c in kept)
        {
            switch (c)
            {
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\\': text.Append("\\\\"); break;
                default:
                    if (IsUnsafe(c))
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        text.Append(c);
                    break;
            }
        }
        if (cut)
            text.Append(CultureInfo.InvariantCulture, $"…({value.Length} chars)");
        return text.ToString();
    }

    private static bool NeedsEscape(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c == '\\' || IsUnsafe(c))
                return true;
        }
        return false;
    }

    private static bool IsUnsafe(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate;
}
