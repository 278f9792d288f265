namespace Gateway.Core.Telemetry;

/// <summary>How a call arrived, as the <c>transport</c> tag of <c>gateway.calls</c> names it.</summary>
public enum CallTransport
{
    /// <summary>A frame on a WebSocket: <c>ws</c>.</summary>
    WebSocket,
    /// <summary>An HTTP request: <c>http</c>.</summary>
    Http,
}
