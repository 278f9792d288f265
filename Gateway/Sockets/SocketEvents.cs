using Gateway.Core.Events;
using Gateway.Core.Protocol;

namespace Gateway.Sockets;

/// <summary>
/// A socket's events go through its one reply queue, so they keep their place among the replies. Live events never
/// wait for a place (the writer sends them); the end-of-subscription notices wait for the first place that frees.
/// </summary>
internal sealed class SocketEvents : IEventSink, IDisposable
{
    // A socket holds at most Subscriber.MaxStreams streams; the notices of two rounds of them are plenty.
    private const int MaxWaiting = 2 * Subscriber.MaxStreams;

    private readonly OutboundQueue _outbound;
    private readonly TimeSpan _stall;
    private readonly Queue<PooledBufferWriter> _waiting = new();
    private readonly Lock _lock = new();
    private bool _disposed;

    public SocketEvents(string id, OutboundQueue outbound, TimeSpan stall)
    {
        Id = id;
        _outbound = outbound;
        _stall = stall;
        outbound.Freed = SendWaiting;
    }

    public string Id { get; }

    public bool TrySend(PooledBufferWriter frame)
    {
        lock (_lock)
            return !_disposed && _waiting.Count == 0 && _outbound.TryPlace(frame);
    }

    public async ValueTask<bool> SendAsync(PooledBufferWriter frame, CancellationToken ct)
    {
        try
        {
            return await _outbound.PlaceAsync(frame, _stall, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The socket is closing: the replay has nowhere to go.
            return false;
        }
    }

    public void SendWhenRoom(PooledBufferWriter frame)
    {
        lock (_lock)
        {
            if (_disposed || _waiting.Count >= MaxWaiting)
            {
                frame.Dispose();
                return;
            }
            _waiting.Enqueue(frame);
        }
        SendWaiting();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_waiting.TryDequeue(out var frame))
                frame.Dispose();
        }
    }

    private void SendWaiting()
    {
        lock (_lock)
        {
            while (!_disposed && _waiting.TryPeek(out var frame) && _outbound.TryPlace(frame))
                _waiting.Dequeue();
        }
    }
}
