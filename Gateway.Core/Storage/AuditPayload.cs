using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Storage;

/// <summary>
/// Copies a payload for the audit log with every secret-bearing key removed, at any depth. A key is secret by a rule,
/// not by a list: its name contains one of <see cref="SecretWords"/> in any case, so <c>ConfirmPassword</c>,
/// <c>newPassword</c> or <c>TotpSeed</c> never reach a row, whatever a client invents.
/// </summary>
public static class AuditPayload
{
    /// <summary>The words that make a key secret wherever they stand in its name.</summary>
    public static IReadOnlyList<string> SecretWords { get; } = ["password", "secret", "token", "code", "signature", "seed"];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True for a key whose value must never be stored or logged.</summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var word in SecretWords)
        {
            if (key.Contains(word, StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The payload as stored (<see cref="Scrub"/>) and its canonical form for the row's hash, made by the caller before
    /// its write queues, so the one writer thread only copies them.
    /// </summary>
    internal static Prepared Prepare(ReadOnlySpan<byte> payload)
    {
        var text = Scrub(payload);
        return new Prepared(text, AuditHash.CanonicalValue(text));
    }

    /// <summary>A payload made ready for the audit log: <see cref="Text"/> as stored, <see cref="Canonical"/> as hashed.</summary>
    internal sealed record Prepared(string Text, byte[] Canonical);

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
