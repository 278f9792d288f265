using System.Collections.Concurrent;
using Gateway.Core.Telemetry;
using Gateway.Sockets;

namespace Gateway.Observability;

/// <summary>
/// What the socket loop reports: sockets opening and closing (<c>gateway.sockets.open</c>, and the set the
/// <c>gateway.replies.queued</c> gauge sums over), requests refused by a socket limit, and closes for abuse.
/// </summary>
internal sealed class SocketTelemetry(GatewayMetrics metrics, SecurityEvents security)
{
    private readonly ConcurrentDictionary<SocketConnection, byte> _open = new();

    public void Opened(SocketConnection socket)
    {
        _open.TryAdd(socket, 0);
        metrics.SocketOpened();
    }

    public void Closed(SocketConnection socket)
    {
        if (_open.TryRemove(socket, out _))
            metrics.SocketClosed();
    }

    public void Refused(RateLimit limit) => metrics.RateLimitRefused(limit);

    public void ClosedForAbuse(SocketAbuse abuse, SocketConnection socket, string reason) =>
        security.SocketClosedForAbuse(abuse, socket, reason);

    /// <summary>Replies waiting in every open socket's queue, read at each collection.</summary>
    public long QueuedReplies()
    {
        long sum = 0;
        foreach (var socket in _open.Keys)
            sum += socket.QueuedReplies;
        return sum;
    }
}
