using Gateway.Core.Storage;

namespace Gateway.Core.Health;

/// <summary>Live figures for HealthCheck and <c>GET /health</c>: uptime, open sockets, and whether the database answers.</summary>
public sealed class GatewayStatus(TimeProvider time, Database database)
{
    private readonly long _started = time.GetTimestamp();
    private int _openSockets;

    /// <summary>Time since the gateway started.</summary>
    public TimeSpan Uptime => time.GetElapsedTime(_started);

    /// <summary>WebSockets open right now.</summary>
    public int OpenSockets => Volatile.Read(ref _openSockets);

    /// <summary>Counts a socket about to open unless <paramref name="max"/> are open already.</summary>
    public bool TrySocketOpened(int max)
    {
        if (Interlocked.Increment(ref _openSockets) <= max)
            return true;
        Interlocked.Decrement(ref _openSockets);
        return false;
    }

    /// <summary>Counts a socket that closed.</summary>
    public void SocketClosed() => Interlocked.Decrement(ref _openSockets);

    /// <summary>
    /// The body both health surfaces answer with; <c>detail</c> is "ok" only when the database answers and can take
    /// the write lock within its busy timeout.
    /// </summary>
    public async Task<HealthReport> ReportAsync(CancellationToken ct)
    {
        var state = await database.ProbeAsync(ct).ConfigureAwait(false);
        return new HealthReport
        {
            Detail = state switch { DatabaseState.Ok => "ok", DatabaseState.Busy => "database busy", _ => "database unreachable" },
            UptimeSeconds = (long)Uptime.TotalSeconds,
            OpenSockets = OpenSockets,
            Database = state switch { DatabaseState.Ok => "ok", DatabaseState.Busy => "busy", _ => "unreachable" },
        };
    }
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

    /// <summary>"ok", "busy" (the write lock stayed taken) or "unreachable".</summary>
    public string Database { get; init; } = "";

    /// <summary>True when <see cref="Detail"/> is "ok"; <c>GET /health</c> answers 503 otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Healthy => Detail == "ok";
}
