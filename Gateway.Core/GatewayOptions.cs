namespace Gateway.Core;

/// <summary>The <c>Gateway</c> section of appsettings.json.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gateway";

    /// <summary>Protocol limits (protocol.md section 7).</summary>
    public LimitOptions Limits { get; set; } = new();
}

/// <summary>Per-socket and per-message limits.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest message after reassembly; larger closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Deepest JSON nesting of a payload; deeper answers errorcode 100.</summary>
    public int MaxPayloadDepth { get; set; } = 32;

    /// <summary>Calls one socket may have running at once; further frames wait to be read.</summary>
    public int MaxCallsInFlightPerSocket { get; set; } = 64;

    /// <summary>Replies waiting to be sent on one socket; at the limit the socket stops reading requests.</summary>
    public int MaxQueuedRepliesPerSocket { get; set; } = 1000;

    /// <summary>Seconds the reply queue may stay full with nothing sent before the socket is closed with 1008.</summary>
    public int SendStallTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds between keep-alive pings.</summary>
    public int KeepAliveIntervalSeconds { get; set; } = 15;

    /// <summary>Seconds to wait for the pong before the peer counts as dead.</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds a closing socket may take to finish its calls and the close handshake.</summary>
    public int CloseTimeoutSeconds { get; set; } = 5;
}
