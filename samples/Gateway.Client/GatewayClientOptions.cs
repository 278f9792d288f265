namespace Gateway.Client;

/// <summary>Settings of a <see cref="GatewayClient"/>.</summary>
public sealed class GatewayClientOptions
{
    /// <summary>
    /// How long a call may wait for its reply (including waiting for a reconnect) before it fails;
    /// <see cref="Timeout.InfiniteTimeSpan"/> leaves the deadline to the caller's cancellation token.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long to wait between attempts to reconnect after the connection was lost; null disables reconnecting, and
    /// then every call after the connection closed fails at once with <see cref="GatewayConnectionException"/>.
    /// </summary>
    public TimeSpan? ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True: every write call made with <see cref="GatewayClient.SendAsync"/> or <see cref="GatewayClient.CallAsync"/>
    /// carries <c>"DryRun":true</c>, so the gateway runs it completely, answers, and rolls it back (protocol.md 9.2).
    /// </summary>
    public bool DryRun { get; set; }
}

/// <summary>The connection dropped before the reply came; the call may or may not have run.</summary>
public sealed class GatewayConnectionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A login the gateway refused: <c>Authenticated:false</c>, with its <c>errormsg</c>.</summary>
public sealed class GatewayLoginException(string message, bool locked, bool requires2FA) : Exception(message)
{
    /// <summary>The user is locked.</summary>
    public bool Locked { get; } = locked;

    /// <summary>The password was right but the user has two-factor login: send Authenticate2FA with the code next.</summary>
    public bool Requires2FA { get; } = requires2FA;
}
