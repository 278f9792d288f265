using System.Text.Json;

namespace Gateway.Core.Storage;

/// <summary>
/// Recognizes JSON text that the audit hash's canonical writer would write back unchanged, so it can be copied instead
/// of parsed and rewritten: printable ASCII without a backslash (no escapes, which the canonical writer might spell
/// differently) and without whitespace (none between tokens), whose object keys are in ordinal order at every level.
/// Numbers and literals are kept as written by both paths.
/// </summary>
internal static class CanonicalText
{
    private const int MaxDepth = 64;

    /// <summary>True, with its bytes, when <paramref name="json"/> is already canonical; false for anything else (then parse it).</summary>
    public static bool TryAscii(string json, out byte[] ascii)
    {
        ascii = [];
        foreach (var c in json)
        {
            if (c is <= ' ' or > '~' or '\\')
                return false;
        }
        var bytes = new byte[json.Length];
        for (var i = 0; i < json.Length; i++)
            bytes[i] = (byte)json[i];
        if (!KeysInOrder(bytes))
            return false;
        ascii = bytes;
        return true;
    }

    private static bool KeysInOrder(ReadOnlySpan<byte> json)
    {
        // The last key seen in each open object, as a range of the text; -1 before its first key.
        Span<int> lastStart = stackalloc int[MaxDepth + 1];
        Span<int> lastLength = stackalloc int[MaxDepth + 1];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        lastStart[reader.CurrentDepth] = -1;
                        break;
                    case JsonTokenType.PropertyName:
                        var depth = reader.CurrentDepth - 1;
                        var start = (int)reader.TokenStartIndex + 1;
                        var name = reader.ValueSpan;
                        if (lastStart[depth] >= 0 && json.Slice(lastStart[depth], lastLength[depth]).SequenceCompareTo(name) > 0)
                            return false;
                        (lastStart[depth], lastLength[depth]) = (start, name.Length);
                        break;
                }
            }
            return reader.BytesConsumed == json.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
