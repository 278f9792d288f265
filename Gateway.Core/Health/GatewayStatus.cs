namespace Gateway.Core.Health;

/// <summary>Live figures for HealthCheck and <c>GET /health</c>: uptime and open sockets.</summary>
public sealed class GatewayStatus(TimeProvider time)
{
    private readonly long _started = time.GetTimestamp();
    private int _openSockets;

    /// <summary>Time since the gateway started.</summary>
    public TimeSpan Uptime => time.GetElapsedTime(_started);

    /// <summary>WebSockets open right now.</summary>
    public int OpenSockets => Volatile.Read(ref _openSockets);

    /// <summary>Counts a socket that opened.</summary>
    public void SocketOpened() => Interlocked.Increment(ref _openSockets);

    /// <summary>Counts a socket that closed.</summary>
    public void SocketClosed() => Interlocked.Decrement(ref _openSockets);

    /// <summary>The body both health surfaces answer with.</summary>
    public HealthReport Report() => new()
    {
        Detail = "ok",
        UptimeSeconds = (long)Uptime.TotalSeconds,
        OpenSockets = OpenSockets,
    };
}

/// <summary>The health body: <c>{"detail":"ok", ...}</c>.</summary>
public sealed record HealthReport
{
    /// <summary>"ok" when the gateway can serve calls.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("detail")]
    public required string Detail { get; init; }

    /// <summary>Whole seconds since start.</summary>
    public long UptimeSeconds { get; init; }

    /// <summary>WebSockets open right now.</summary>
    public int OpenSockets { get; init; }
}
