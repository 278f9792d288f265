using System.Text.Json;

namespace Gateway.Core.Safety;

/// <summary>The two payload keys of protocol.md section 9 a write call may carry: <c>ClientRequestId</c> and <c>DryRun</c>.</summary>
/// <param name="RequestId">The ClientRequestId; null when absent, null or "".</param>
/// <param name="DryRun">True for <c>"DryRun":true</c>.</param>
public readonly record struct SafetyEnvelope(string? RequestId, bool DryRun)
{
    /// <summary>The longest ClientRequestId.</summary>
    public const int MaxRequestIdLength = 64;

    /// <summary>The detail of a ClientRequestId outside the rule.</summary>
    public const string BadRequestId = "ClientRequestId must be a string of 1 to 64 printable ASCII characters";

    /// <summary>The detail of an <c>Idempotency-Key</c> header outside the rule.</summary>
    public const string BadHeader = "The Idempotency-Key header must be 1 to 64 printable ASCII characters";

    /// <summary>The detail of a header and a payload key that name different ids.</summary>
    public const string HeaderConflict = "ClientRequestId and the Idempotency-Key header differ; send one of them, or the same id in both";

    /// <summary>The detail of a DryRun that is not a boolean.</summary>
    public const string BadDryRun = "DryRun must be true or false";

    /// <summary>True for 1 to 64 printable ASCII characters (space to tilde).</summary>
    public static bool IsValidRequestId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length is >= 1 and <= MaxRequestIdLength && id.All(c => c is >= ' ' and <= '~');
    }

    /// <summary>
    /// Reads the two keys (any casing; the last of repeated keys wins, as the binder reads them) from a payload object;
    /// false with the detail of a 100 when one holds a value outside its rule. A payload that is not an object has neither.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out SafetyEnvelope envelope, out string? problem)
    {
        envelope = default;
        problem = null;
        JsonElement? id = null, dryRun = null;
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return true;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                var isId = string.Equals(name, "ClientRequestId", StringComparison.OrdinalIgnoreCase);
                var isDryRun = string.Equals(name, "DryRun", StringComparison.OrdinalIgnoreCase);
                reader.Read();
                if (isId || isDryRun)
                {
                    var value = JsonElement.ParseValue(ref reader);
                    if (isId)
                        id = value;
                    else
                        dryRun = value;
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON the binder can read either: the call answers that, without an envelope.
            return true;
        }

        string? requestId = null;
        if (id is { ValueKind: JsonValueKind.String } text && text.GetString() is { Length: > 0 } given)
        {
            if (!IsValidRequestId(given))
                problem = BadRequestId;
            requestId = given;
        }
        else if (id is { ValueKind: not (JsonValueKind.Null or JsonValueKind.String) })
        {
            problem = BadRequestId;
        }
        if (dryRun is { ValueKind: not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null) })
            problem ??= BadDryRun;
        envelope = new SafetyEnvelope(requestId, dryRun is { ValueKind: JsonValueKind.True });
        return problem is null;
    }
}
