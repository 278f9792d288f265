using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Safety;

/// <summary>
/// A request as protocol.md 9.1 compares repeats: object keys lower-cased and sorted (ordinally, keeping the order of
/// equal keys) at every depth, no whitespace, every value written exactly as sent (<c>"3"</c> is not <c>3</c>).
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The canonical form of <paramref name="json"/>, leaving out the top-level key <paramref name="omitKey"/> (in any casing).</summary>
    public static byte[] Write(ReadOnlySpan<byte> json, string? omitKey = null)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        using (var writer = new Utf8JsonWriter(output, Options))
            Write(writer, document.RootElement, omitKey);
        return output.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, string? omitKey)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                var properties = element.EnumerateObject()
                    .Where(p => omitKey is null || !string.Equals(p.Name, omitKey, StringComparison.OrdinalIgnoreCase))
                    .Select(p => (Key: p.Name.ToLowerInvariant(), p.Value))
                    .OrderBy(p => p.Key, StringComparer.Ordinal);
                foreach (var (key, value) in properties)
                {
                    writer.WritePropertyName(key);
                    Write(writer, value, null);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    Write(writer, item, null);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
