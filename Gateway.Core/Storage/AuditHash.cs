using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Storage;

/// <summary>
/// The audit chain's hash rule: a row's Hash is the lower-case hex SHA-256 of the UTF-8 bytes of the previous row's Hash
/// (<see cref="Genesis"/> before the first row) followed by the row's canonical JSON.
/// </summary>
public static class AuditHash
{
    /// <summary>The previous Hash of the first row: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Hash <paramref name="row"/> must carry when the row before it carries <paramref name="previous"/>; its own Hash is not part of it.</summary>
    /// <exception cref="JsonException">Payload, Before or After is not JSON.</exception>
    public static string Of(string previous, AuditLog.AuditRow row) => Of(previous, row, canonicalPayload: null);

    /// <summary>
    /// As <see cref="Of(string, AuditLog.AuditRow)"/>, with the canonical form of the row's Payload already made
    /// (<see cref="CanonicalValue"/>, by the caller before its write queued): the writer then only copies it.
    /// </summary>
    internal static string Of(string previous, AuditLog.AuditRow row, byte[]? canonicalPayload)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var output = new ArrayBufferWriter<byte>(512);
        Encoding.UTF8.GetBytes(previous, output);
        WriteCanonical(output, row, canonicalPayload);
        return Convert.ToHexStringLower(SHA256.HashData(output.WrittenSpan));
    }

    /// <summary>The canonical form of one JSON value (keys sorted at every level), as the row's canonical JSON holds it.</summary>
    internal static byte[] CanonicalValue(string json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length + 16);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
            WriteSorted(writer, json);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The record without Hash as compact JSON, its fields in the order of calls.md, <c>Payload</c>, <c>Before</c> and
    /// <c>After</c> with object keys sorted ordinally at every depth; strings escaped as the gateway writes them.
    /// </summary>
    /// <exception cref="JsonException">Payload, Before or After is not JSON.</exception>
    public static byte[] Canonical(AuditLog.AuditRow row)
    {
        var output = new ArrayBufferWriter<byte>(512);
        WriteCanonical(output, row, canonicalPayload: null);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteCanonical(ArrayBufferWriter<byte> output, AuditLog.AuditRow row, byte[]? canonicalPayload)
    {
        ArgumentNullException.ThrowIfNull(row);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("Id", row.Id);
            writer.WriteString("Time", row.At);
            writer.WriteNumber("UserId", row.UserId);
            writer.WriteString("SessionId", row.SessionId);
            writer.WriteString("Function", row.Function);
            if (canonicalPayload is null)
            {
                WriteSorted(writer, "Payload", row.Payload);
            }
            else
            {
                writer.WritePropertyName("Payload");
                writer.WriteRawValue(canonicalPayload, skipInputValidation: true);
            }
            writer.WriteString("Change", row.Change);
            WriteNumberOrNull(writer, "TargetUserId", row.TargetUserId);
            WriteNumberOrNull(writer, "TargetAccountId", row.TargetAccountId);
            WriteSorted(writer, "Before", row.Before);
            WriteSorted(writer, "After", row.After);
            writer.WriteEndObject();
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
            writer.WriteNumber(name, number);
        else
            writer.WriteNull(name);
    }

    private static void WriteSorted(Utf8JsonWriter writer, string name, string? json)
    {
        writer.WritePropertyName(name);
        if (json is null)
        {
            writer.WriteNullValue();
            return;
        }
        WriteSorted(writer, json);
    }

    private static void WriteSorted(Utf8JsonWriter writer, string json)
    {
        // Most Before and After texts ({"Permissions":[...]}, {"AccountIds":[...]}) are canonical as written: copied, not parsed.
        if (CanonicalText.TryAscii(json, out var ascii))
        {
            writer.WriteRawValue(ascii, skipInputValidation: true);
            return;
        }
        using var document = JsonDocument.Parse(json);
        WriteSorted(writer, document.RootElement);
    }

    // JsonProperty.Name makes a new string on every read, so each name is read once; the sort is stable, so repeated
    // keys keep their order.
    private static IOrderedEnumerable<(string Name, JsonElement Value)> Sorted(JsonElement element) =>
        element.EnumerateObject().Select(p => (p.Name, p.Value)).OrderBy(p => p.Name, StringComparer.Ordinal);

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var (name, value) in Sorted(element))
                {
                    writer.WritePropertyName(name);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers keep their text as stored (1.0 stays 1.0); true, false and null are literals.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
