using System.Buffers;

namespace Gateway.Sockets;

/// <summary>
/// The upgraded connection under a socket's WebSocket, so that replies ready together leave in one socket write.
/// While someone <see cref="Hold"/>s it (the read loop while it has frames already received, the writer while its
/// queue has more), writes are copied into a buffer; the last <see cref="Release"/> sends the buffer in one write.
/// Unheld, a write goes out at once. One write to the connection at a time; a write waits for it when the buffer is
/// past <c>flushAtBytes</c> or nobody holds, so a client that does not read still pushes back on the writers.
/// </summary>
internal sealed class CoalescingStream(Stream inner, int flushAtBytes) : Stream
{
    private readonly Lock _gate = new();
    private byte[] _pending = [];
    private int _pendingCount;
    private byte[] _spare = [];
    private int _holds;
    private bool _draining;
    // Made only when a write must wait for a drain it did not start: the writer that starts one awaits it itself.
    private TaskCompletionSource? _drained;
    private Exception? _fault;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    /// <summary>Keeps writes in the buffer until the matching <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
            _holds++;
    }

    /// <summary>Ends a hold; the last one sends what the buffer holds.</summary>
    public void Release()
    {
        bool start;
        lock (_gate)
        {
            _holds--;
            start = _holds == 0 && _pendingCount > 0 && TryStartDrainLocked();
        }
        if (start)
            _ = DrainAsync(default);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task? wait = null;
        bool start;
        bool direct;
        lock (_gate)
        {
            ThrowIfFaulted();
            var now = _holds == 0 || _pendingCount + buffer.Length >= flushAtBytes;
            // Nothing buffered and nothing being written: this write goes out as it is, without a copy.
            direct = now && _pendingCount == 0 && !_draining;
            if (!direct)
                Append(buffer.Span);
            start = now && TryStartDrainLocked();
            if (now && !start)
                wait = (_drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
        if (start)
            wait = DrainAsync(direct ? buffer : default);
        if (wait is not null)
        {
            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
                ThrowIfFaulted();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("writes are asynchronous");

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private bool TryStartDrainLocked()
    {
        if (_draining)
            return false;
        _draining = true;
        return true;
    }

    // The one writer to the connection while it runs. It never throws: a failure is kept and thrown to the writes that
    // wait for it and to the next, so the write that started it awaits it and Release need not.
    private async Task DrainAsync(ReadOnlyMemory<byte> first)
    {
        try
        {
            if (!first.IsEmpty)
                await inner.WriteAsync(first).ConfigureAwait(false);
            while (true)
            {
                int count;
                lock (_gate)
                {
                    if (_pendingCount == 0 || (_holds > 0 && _pendingCount < flushAtBytes))
                        break;
                    (_pending, _spare) = (_spare, _pending);
                    count = _pendingCount;
                    _pendingCount = 0;
                }
                await inner.WriteAsync(_spare.AsMemory(0, count)).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Kept for the next write to throw; the read loop sees the broken connection too.
        catch (Exception e)
#pragma warning restore CA1031
        {
            lock (_gate)
                _fault = e;
        }
        TaskCompletionSource? waiting;
        lock (_gate)
        {
            _draining = false;
            waiting = _drained;
            _drained = null;
            ReturnIdleBuffers();
        }
        waiting?.SetResult();
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_pendingCount + data.Length > _pending.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_pendingCount + data.Length, Math.Max(4096, _pending.Length * 2)));
            _pending.AsSpan(0, _pendingCount).CopyTo(larger);
            if (_pending.Length > 0)
                ArrayPool<byte>.Shared.Return(_pending);
            _pending = larger;
        }
        data.CopyTo(_pending.AsSpan(_pendingCount));
        _pendingCount += data.Length;
    }

    // An idle socket keeps no buffer: thousands of quiet sockets must not hold one each.
    private void ReturnIdleBuffers()
    {
        if (_spare.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_spare);
            _spare = [];
        }
        if (_pendingCount == 0 && _pending.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
        }
    }

    private void ThrowIfFaulted()
    {
        if (_fault is not null)
            throw new IOException("the connection failed while sending", _fault);
    }
}
