using System.Collections.Concurrent;
using System.Text.Json;

namespace Gateway.Core.Protocol;

/// <summary>
/// The names of the functions the gateway serves, spelt as registered, so that a frame naming one of them exactly is
/// read without making a new string. Any other spelling (another casing, an unknown name) is read as a new string
/// each time: what a client sends never adds to the table, so no client can fill it or crowd the real names out.
/// </summary>
internal static class FunctionNames
{
    /// <summary>Names of more characters than this are not kept.</summary>
    public const int MaxKeptChars = 64;

    /// <summary>At most this many names are kept (the handler table has a few hundred at most).</summary>
    public const int MaxKept = 4096;

    private static readonly ConcurrentDictionary<string, string> Kept = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> BySpan =
        Kept.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Keeps <paramref name="name"/>, a function the gateway serves (the handler table calls this).</summary>
    public static void Keep(string name)
    {
        if (name.Length <= MaxKeptChars && Kept.Count < MaxKept)
            Kept.TryAdd(name, name);
    }

    /// <summary>The string token under <paramref name="reader"/>, unescaped: the kept instance when it spells a kept name.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        // An escaped name is never shorter in the message than unescaped, so this bounds the characters too.
        if (reader.ValueSpan.Length > MaxKeptChars || reader.HasValueSequence)
            return reader.GetString()!;
        Span<char> chars = stackalloc char[MaxKeptChars];
        var name = chars[..reader.CopyString(chars)];
        return BySpan.TryGetValue(name, out var kept) ? kept : name.ToString();
    }
}
