using System.Globalization;
using System.Text;
using Gateway.Core.Protocol;

namespace Gateway.Core.Events;

/// <summary>
/// A socket's subscriptions, one stream per user it follows. Live events are offered by the writer's commit and never
/// wait: when the socket's queue is full, every stream of the socket ends and one <c>SubscriptionEndedEvent</c> per
/// stream goes out as soon as there is room. Its calls are not touched.
/// </summary>
public sealed class Subscriber : IDisposable
{
    /// <summary>Streams one socket may hold at once.</summary>
    public const int MaxStreams = 64;

    private readonly EventHub _hub;
    private readonly IEventSink _sink;
    private readonly Dictionary<int, Subscription> _streams = [];
    private readonly Lock _lock = new();
    private int _opening;
    private bool _closed;

    internal Subscriber(EventHub hub, IEventSink sink) => (_hub, _sink) = (hub, sink);

    /// <summary>Opens a stream of <paramref name="userId"/>'s events (replacing one the socket had), held until prepared and its reply queued.</summary>
    internal Subscription Open(int userId, long? fromSequence, long opener, int? follower)
    {
        lock (_lock)
        {
            if (_closed)
                throw new OperationCanceledException("The socket is closing.");
            if (_streams.Remove(userId, out var old))
                End(old);
            else if (_streams.Count >= MaxStreams)
                throw new GatewayException(ErrorCode.OperationFailed, $"A socket may follow at most {MaxStreams} users at once; unsubscribe one first");
            var stream = new Subscription(this, userId, fromSequence, opener, follower);
            _streams[userId] = stream;
            _hub.Add(stream);
            _opening++;
            return stream;
        }
    }

    /// <summary>The replay is read; the stream starts once the reply of its call is queued.</summary>
    internal void Prepare(Subscription stream, IReadOnlyList<UserEvent> replay, long newest)
    {
        lock (_lock)
            stream.Prepare(replay, newest);
    }

    /// <summary>Drops a stream whose call failed.</summary>
    internal void Cancel(Subscription stream)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(stream.UserId, out var current) && ReferenceEquals(current, stream))
                _streams.Remove(stream.UserId);
            End(stream);
        }
    }

    /// <summary>Ends the stream of <paramref name="userId"/>; false when the socket had none.</summary>
    public bool Close(int userId)
    {
        lock (_lock)
        {
            if (!_streams.Remove(userId, out var stream))
                return false;
            End(stream);
            return true;
        }
    }

    /// <summary>
    /// Called by the socket once the reply to its frame <paramref name="sequence"/> is queued: the streams that call
    /// opened send their replay (waiting for room), then what arrived meanwhile, and go live.
    /// </summary>
    public async Task AfterReplyAsync(long sequence, CancellationToken ct)
    {
        if (Volatile.Read(ref _opening) == 0)
            return;
        foreach (var stream in OpenedBy(sequence))
            await StartAsync(stream, ct).ConfigureAwait(false);
    }

    // Apart from AfterReplyAsync, whose every call would otherwise make this filter's closure before it knows it has none.
    private List<Subscription> OpenedBy(long sequence)
    {
        lock (_lock)
        {
            List<Subscription> starting = [.. _streams.Values.Where(s => s.Ready && !s.Starting && s.Opener == sequence)];
            foreach (var stream in starting)
                stream.Starting = true;
            return starting;
        }
    }

    private async Task StartAsync(Subscription stream, CancellationToken ct)
    {
        IReadOnlyList<UserEvent> replay;
        lock (_lock)
            replay = stream.Replay;
        foreach (var e in replay)
        {
            PooledBufferWriter frame;
            lock (_lock)
            {
                if (stream.Ended)
                    return;
                frame = e.Frame(stream.Last);
            }
            if (!await _sink.SendAsync(frame, ct).ConfigureAwait(false))
            {
                frame.Dispose();
                lock (_lock)
                    EndTooSlow();
                return;
            }
            lock (_lock)
                stream.Last = e.Sequence;
        }
        lock (_lock)
        {
            if (stream.Ended)
                return;
            Interlocked.Decrement(ref _opening);
            foreach (var e in stream.GoLive())
            {
                if (!Deliver(stream, e))
                    return;
            }
        }
    }

    /// <summary>Ends a stream whose follower lost Operator, with one SubscriptionEndedEvent saying so.</summary>
    internal void Revoke(Subscription stream)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(stream.UserId, out var current) || !ReferenceEquals(current, stream))
                return;
            _streams.Remove(stream.UserId);
            End(stream);
            _sink.SendWhenRoom(EndedFrame(stream, "not authorized"));
        }
    }

    /// <summary>A live event for <paramref name="stream"/>, from the writer's commit: sent, held, or the end of a slow socket's streams.</summary>
    internal void Offer(Subscription stream, UserEvent e)
    {
        lock (_lock)
        {
            if (stream.Ended)
                return;
            if (!stream.Live)
            {
                if (!stream.Hold(e))
                    EndTooSlow();
                return;
            }
            Deliver(stream, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var stream in _streams.Values)
                End(stream);
            _streams.Clear();
        }
    }

    // Under the lock. Events the replay already sent (or older than the stream) are skipped, so nothing comes twice.
    private bool Deliver(Subscription stream, UserEvent e)
    {
        if (e.Sequence <= stream.Last)
            return true;
        var frame = e.Frame(stream.Last);
        if (_sink.TrySend(frame))
        {
            stream.Last = e.Sequence;
            return true;
        }
        frame.Dispose();
        EndTooSlow();
        return false;
    }

    private void End(Subscription stream)
    {
        if (stream.Ended)
            return;
        stream.Ended = true;
        if (!stream.Live)
            Interlocked.Decrement(ref _opening);
        _hub.Remove(stream);
    }

    private void EndTooSlow()
    {
        foreach (var stream in _streams.Values)
        {
            End(stream);
            _sink.SendWhenRoom(EndedFrame(stream, "too slow"));
        }
        _streams.Clear();
    }

    private static PooledBufferWriter EndedFrame(Subscription stream, string reason)
    {
        var payload = string.Create(CultureInfo.InvariantCulture,
            $"{{\"UserId\":{stream.UserId},\"LastSequence\":{stream.Last},\"Reason\":\"{reason}\"}}");
        var frame = new PooledBufferWriter(payload.Length + 64);
        FrameWriter.Write(frame, MessageType.Event, 0, EventNames.SubscriptionEnded, Encoding.UTF8.GetBytes(payload));
        return frame;
    }
}
