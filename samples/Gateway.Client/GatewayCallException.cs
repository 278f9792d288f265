using System.Text.Json;

namespace Gateway.Client;

/// <summary>A call the gateway answered with an error frame (m=5) or <c>result:false</c>.</summary>
public sealed class GatewayCallException : Exception
{
    /// <summary>Wraps a failed reply.</summary>
    public GatewayCallException(GatewayReply reply)
        : base(Describe(reply, out var code, out var text, out var detail))
    {
        Reply = reply;
        ErrorCode = code;
        ErrorMsg = text;
        Detail = detail;
    }

    /// <summary>The reply as received.</summary>
    public GatewayReply Reply { get; }

    /// <summary>The standard response's errorcode (e.g. 20 Not Authorized, 100 Invalid Request, 104 Resource Not Found).</summary>
    public int ErrorCode { get; }

    /// <summary>The standard response's errormsg.</summary>
    public string? ErrorMsg { get; }

    /// <summary>What the gateway says to do about it.</summary>
    public string? Detail { get; }

    private static string Describe(GatewayReply reply, out int code, out string? text, out string? detail)
    {
        code = 0;
        text = detail = null;
        if (reply.Payload is { ValueKind: JsonValueKind.Object } payload)
        {
            code = payload.TryGetProperty("errorcode", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : 0;
            text = payload.TryGetProperty("errormsg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            detail = payload.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        }
        return $"{reply.N} failed: errorcode {code} {text}{(detail is null ? "" : $" ({detail})")}";
    }
}
