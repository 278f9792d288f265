using System.Net.WebSockets;
using System.Threading.Channels;
using Gateway.Core.Protocol;

namespace Gateway.Sockets;

/// <summary>
/// One socket's replies: at most <c>capacity</c> waiting, drained in order by a single writer, the only code that
/// sends. A reader reserves a place before it takes a frame, so a burst waits for the client instead of overflowing.
/// </summary>
internal sealed class OutboundQueue(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _places = new(capacity, capacity);
    private readonly Channel<PooledBufferWriter> _channel = Channel.CreateBounded<PooledBufferWriter>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Waits for a free place; false when the client has read nothing for <paramref name="stall"/>.</summary>
    public Task<bool> ReserveAsync(TimeSpan stall, CancellationToken ct) => _places.WaitAsync(stall, ct);

    /// <summary>Queues a frame into a reserved place; false once the queue is completed (the frame is then not taken).</summary>
    public bool TryEnqueue(PooledBufferWriter frame)
    {
        if (_channel.Writer.TryWrite(frame))
            return true;
        _places.Release();
        return false;
    }

    /// <summary>No more frames; the writer sends what is queued, then the close frame.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Sends queued frames in order until completed, then closes the output with the given status.</summary>
    public async Task RunAsync(WebSocket socket, Func<(WebSocketCloseStatus Status, string Reason)> closeStatus, CancellationToken ct)
    {
        try
        {
            await foreach (var frame in _channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                using (frame)
                    await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
                _places.Release();
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var (status, reason) = closeStatus();
                await socket.CloseOutputAsync(status, reason, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            Complete();
            while (_channel.Reader.TryRead(out var unsent))
                unsent.Dispose();
        }
    }

    public void Dispose() => _places.Dispose();
}
