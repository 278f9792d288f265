using Gateway.Core.Protocol;

namespace Gateway.Core.Events;

/// <summary>Where a socket's events go: its one outgoing queue, shared with its replies so that order holds.</summary>
public interface IEventSink
{
    /// <summary>A short id for logs.</summary>
    string Id { get; }

    /// <summary>Queues <paramref name="frame"/> if the queue has a free place now; false (the frame not taken) when it is full.</summary>
    bool TrySend(PooledBufferWriter frame);

    /// <summary>Queues <paramref name="frame"/>, waiting for a place; false (the frame not taken) when none freed in time or the socket closed.</summary>
    ValueTask<bool> SendAsync(PooledBufferWriter frame, CancellationToken ct);

    /// <summary>Queues <paramref name="frame"/> as soon as a place frees; it is dropped if the socket closes first.</summary>
    void SendWhenRoom(PooledBufferWriter frame);
}
