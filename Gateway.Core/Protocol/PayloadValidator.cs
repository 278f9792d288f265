using System.Text.Json;

namespace Gateway.Core.Protocol;

/// <summary>Checks that a payload is one JSON value no deeper than the limit, for every transport.</summary>
public static class PayloadValidator
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1 << 20 };

    /// <summary>Null when <paramref name="payload"/> is valid (or empty); otherwise what is wrong, naming it <paramref name="what"/>.</summary>
    public static string? Check(ReadOnlySpan<byte> payload, int maxDepth, string what)
    {
        if (payload.IsEmpty)
            return null;
        if (!System.Text.Unicode.Utf8.IsValid(payload))
            return $"{what} is not valid UTF-8 JSON";
        var reader = new Utf8JsonReader(payload, Options);
        var deepest = 0;
        try
        {
            while (reader.Read())
                deepest = Math.Max(deepest, reader.CurrentDepth + (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? 1 : 0));
        }
        catch (JsonException)
        {
            return what == "o"
                ? "o is not valid JSON: it must hold the payload object serialized as a string"
                : $"{what} is not valid JSON";
        }
        return deepest > maxDepth ? $"{what} nests {deepest} levels deep; the limit is {maxDepth}" : null;
    }
}
