using System.Text.Json;

namespace Gateway.Client;

/// <summary>A reply frame: its type <c>m</c>, sequence <c>i</c>, function <c>n</c>, payload text <c>o</c> and the frame as received.</summary>
public sealed record GatewayReply(int M, long I, string N, string O, string Frame)
{
    /// <summary>m=5: the gateway could not route the request (unknown function, bad frame).</summary>
    public bool IsErrorFrame => M == 5;

    /// <summary>The payload, parsed.</summary>
    public JsonElement Payload
    {
        get
        {
            using var document = JsonDocument.Parse(O.Length == 0 ? "{}" : O);
            return document.RootElement.Clone();
        }
    }

    /// <summary>True for an error frame or a standard response with <c>result:false</c>.</summary>
    public bool Failed => IsErrorFrame || (Payload is { ValueKind: JsonValueKind.Object } payload
        && payload.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.False);

    /// <summary>Parses a frame; null when the text is not one.</summary>
    public static GatewayReply? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("m", out var m) || !root.TryGetProperty("i", out var i))
                return null;
            var n = root.TryGetProperty("n", out var name) ? name.GetString() ?? "" : "";
            var o = root.TryGetProperty("o", out var payload) ? payload.ValueKind == JsonValueKind.String ? payload.GetString() ?? "" : payload.GetRawText() : "";
            return new GatewayReply(m.GetInt32(), i.GetInt64(), n, o, text);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}

/// <summary>A message the client delivered to no call or subscriber.</summary>
/// <param name="Text">The message as received; null for a binary message.</param>
/// <param name="Binary">The bytes of a binary message; null for text.</param>
/// <param name="Reply">The text parsed as a frame; null when it is not one.</param>
public sealed record UnmatchedMessage(string? Text, byte[]? Binary, GatewayReply? Reply);

/// <summary>How a connection ended.</summary>
/// <param name="CloseStatus">The close code the gateway sent (1008 policy violation, 1009 message too big, 1001 going away...); null when the connection broke without one.</param>
/// <param name="CloseStatusDescription">The reason the gateway gave with its close code.</param>
/// <param name="Exception">What broke the connection, when it did not close cleanly.</param>
public sealed record GatewayDisconnection(System.Net.WebSockets.WebSocketCloseStatus? CloseStatus, string? CloseStatusDescription, Exception? Exception);
