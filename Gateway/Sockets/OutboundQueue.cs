using System.Net.WebSockets;
using System.Threading.Channels;
using Gateway.Core.Protocol;

namespace Gateway.Sockets;

/// <summary>
/// One socket's replies: at most <c>capacity</c> waiting. A reply is sent at once by the call that made it when
/// nothing is queued or being sent (the common case, which spares a hand-off to another task); otherwise it is queued
/// and a single writer drains the queue. One send at a time either way. A reader reserves a place before it takes a
/// frame, so a burst waits for the client instead of overflowing.
/// </summary>
internal sealed class OutboundQueue(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _places = new(capacity, capacity);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Channel<PooledBufferWriter> _channel = Channel.CreateBounded<PooledBufferWriter>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private WebSocket? _socket;
    private volatile bool _completed;
    // Frames queued and not yet sent: a reply may skip the queue only when it is empty, so it never overtakes an event.
    private int _pending;

    /// <summary>Called each time a place frees (a frame went out), for frames that wait for room without holding a place.</summary>
    public Action? Freed { get; set; }

    /// <summary>Replies waiting in the queue now.</summary>
    public int Queued => _channel.Reader.Count;

    /// <summary>Waits for a free place; false when the client has read nothing for <paramref name="stall"/>.</summary>
    public Task<bool> ReserveAsync(TimeSpan stall, CancellationToken ct) => _places.WaitAsync(stall, ct);

    /// <summary>Queues a frame into a reserved place; false once the queue is completed (the frame is then not taken).</summary>
    public bool TryEnqueue(PooledBufferWriter frame)
    {
        Interlocked.Increment(ref _pending);
        if (_channel.Writer.TryWrite(frame))
            return true;
        Interlocked.Decrement(ref _pending);
        _places.Release();
        return false;
    }

    /// <summary>Queues a frame if a place is free now, without waiting; false (the frame not taken) when the queue is full or completed.</summary>
    public bool TryPlace(PooledBufferWriter frame) => !_completed && _places.Wait(0) && TryEnqueue(frame);

    /// <summary>Queues a frame, waiting up to <paramref name="stall"/> for a place; false (the frame not taken) when none freed or the queue completed.</summary>
    public async ValueTask<bool> PlaceAsync(PooledBufferWriter frame, TimeSpan stall, CancellationToken ct) =>
        !_completed && await _places.WaitAsync(stall, ct).ConfigureAwait(false) && TryEnqueue(frame);

    /// <summary>Sends a frame in a reserved place now when the line is free, else queues it; false when it could not be taken.</summary>
    public ValueTask<bool> SendOrEnqueueAsync(PooledBufferWriter frame)
    {
        if (_socket is { } socket && !_completed && Volatile.Read(ref _pending) == 0 && _sending.Wait(0))
        {
            if (Volatile.Read(ref _pending) == 0)
                return SendNowAsync(socket, frame);
            _sending.Release();
        }
        return ValueTask.FromResult(TryEnqueue(frame));
    }

    /// <summary>No more frames; the writer sends what is queued, then the close frame.</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }

    /// <summary>Sends queued frames until completed, then closes the output with the given status.</summary>
    public async Task RunAsync(WebSocket socket, CoalescingStream? coalescing, Func<(WebSocketCloseStatus Status, string Reason)> closeStatus, CancellationToken ct)
    {
        _socket = socket;
        var held = false;
        try
        {
            await foreach (var frame in _channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                // While more replies wait behind this one they go out together, in one write.
                if (!held && coalescing is not null && _channel.Reader.Count > 0)
                {
                    coalescing.Hold();
                    held = true;
                }
                await _sending.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    using (frame)
                        await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
                }
                finally
                {
                    _sending.Release();
                }
                Interlocked.Decrement(ref _pending);
                _places.Release();
                Freed?.Invoke();
                if (held && _channel.Reader.Count == 0)
                {
                    held = false;
                    coalescing!.Release();
                }
            }

            // A reply still being sent by its call goes out before the close frame.
            await _sending.WaitAsync(ct).ConfigureAwait(false);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                var (status, reason) = closeStatus();
                await socket.CloseOutputAsync(status, reason, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (held)
                coalescing!.Release();
            Complete();
            while (_channel.Reader.TryRead(out var unsent))
                unsent.Dispose();
        }
    }

    public void Dispose()
    {
        _places.Dispose();
        _sending.Dispose();
    }

    private async ValueTask<bool> SendNowAsync(WebSocket socket, PooledBufferWriter frame)
    {
        try
        {
            using (frame)
                await socket.SendAsync(frame.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The connection is gone; the read loop sees it too and tears the socket down.
            return true;
        }
        finally
        {
            _sending.Release();
            _places.Release();
            Freed?.Invoke();
        }
    }
}
