using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Storage;

/// <summary>Copies a payload for the audit log with every secret-bearing key removed, at any depth.</summary>
public static class AuditPayload
{
    private static readonly FrozenSet<string> SecretKeys = new[]
    {
        "Password", "PasswordHash", "NewPassword", "OldPassword", "APISecret", "Secret", "Signature",
        "SessionToken", "Token", "aptoken", "Code",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True for a key whose value must never be stored or logged.</summary>
    public static bool IsSecret(string key) => SecretKeys.Contains(key);

    /// <summary>The payload as JSON text without secret keys; "{}" for a payload that is not JSON.</summary>
    public static string Scrub(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
            return "{}";
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var output = new ArrayBufferWriter<byte>(payload.Length);
            using (var writer = new Utf8JsonWriter(output, WriterOptions))
                Copy(document.RootElement, writer);
            return Encoding.UTF8.GetString(output.WrittenSpan);
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    private static void Copy(JsonElement element, Utf8JsonWriter writer)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (IsSecret(property.Name))
                        continue;
                    writer.WritePropertyName(property.Name);
                    Copy(property.Value, writer);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    Copy(item, writer);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
