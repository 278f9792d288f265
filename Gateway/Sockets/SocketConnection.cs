using System.Buffers;
using System.Net.WebSockets;
using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Events;
using Gateway.Core.Protocol;
using Gateway.Core.Telemetry;
using Gateway.Observability;
using Microsoft.Extensions.Logging;

namespace Gateway.Sockets;

/// <summary>
/// One client socket: reads whole messages, hands frames to the dispatcher without waiting for them, and sends
/// every reply through one bounded queue. Closing (by either side, at shutdown or on a broken limit) lets running
/// calls finish, sends what is queued, then the close frame, all within the close timeout.
/// </summary>
internal sealed class SocketConnection : IConnection, IDisposable
{
    private const int InitialReceiveBytes = 4 * 1024;

    private readonly WebSocket _socket;
    private readonly Dispatcher _dispatcher;
    private readonly LimitOptions _limits;
    private readonly ILogger _logger;
    private readonly OutboundQueue _outbound;
    private readonly CoalescingStream? _coalescing;
    private readonly ReadBatch _batch;
    private readonly InFlightCalls _inFlight;
    private readonly CancellationTokenSource _abort;
    private readonly TimeSpan _closeTimeout;
    private readonly TimeSpan _sendStall;
    private readonly RequestRate _rate;
    private readonly UserSockets _userSockets;
    private readonly SocketTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly Lock _sessionLock = new();
    private Gateway.Core.Sessions.Session? _session;
    private int? _countedUser;
    private int _loggedIn;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";
    private readonly TaskCompletionSource _callsFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _drained;
    private readonly SocketEvents _events;

    public SocketConnection(WebSocket socket, CoalescingStream? coalescing, string id, string remoteAddress, Dispatcher dispatcher,
        LimitOptions limits, UserSockets userSockets, SocketTelemetry telemetry, TimeProvider time, ILogger logger, EventHub hub)
    {
        _socket = socket;
        Id = id;
        RemoteAddress = remoteAddress;
        _dispatcher = dispatcher;
        _limits = limits;
        _logger = logger;
        _outbound = new OutboundQueue(limits.MaxQueuedRepliesPerSocket);
        _coalescing = coalescing;
        _batch = new ReadBatch(coalescing);
        _inFlight = new InFlightCalls(limits.MaxCallsInFlightPerSocket);
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _closeTimeout = TimeSpan.FromSeconds(limits.CloseTimeoutSeconds);
        _sendStall = TimeSpan.FromSeconds(limits.SendStallTimeoutSeconds);
        _rate = new RequestRate(limits, time);
        _userSockets = userSockets;
        _telemetry = telemetry;
        _time = time;
        _events = new SocketEvents(id, _outbound, _sendStall);
        Subscriber = hub.Attach(_events);
    }

    public string Id { get; }

    public string RemoteAddress { get; }

    public Gateway.Core.Sessions.Session? Session
    {
        get => Volatile.Read(ref _session);
        set
        {
            Volatile.Write(ref _session, value);
            CountForUser(value?.UserId);
        }
    }

    public Gateway.Core.Sessions.PendingSecondFactor? PendingSecondFactor { get; set; }

    public Gateway.Core.Sessions.SignedLogin? OneCallKey => null;

    /// <summary>This socket's event subscriptions.</summary>
    public Subscriber Subscriber { get; }

    /// <summary>Replies waiting to be sent on this socket now.</summary>
    public int QueuedReplies => _outbound.Queued;

    /// <summary>A Batch's items beyond its own frame, from the same bucket the read loop takes from.</summary>
    public bool TryTakeRequests(int count) => _rate.TryTake(count);

    /// <summary>Serves the socket until it is closed or lost.</summary>
    public async Task RunAsync(CancellationToken shutdown)
    {
        SocketLog.Opened(_logger, Id, RemoteAddress);
        // Sends and receives take no token (a cancellable one costs every frame a registration, and sends a slower path
        // in the WebSocket); cancelling the connection aborts the socket instead, which ends them the same way.
        using var onAbort = _abort.Token.UnsafeRegister(static socket => ((WebSocket)socket!).Abort(), _socket);
        using var onShutdown = shutdown.Register(() => RequestClose((int)WebSocketCloseStatus.EndpointUnavailable, "Server shutting down"));
        var writer = _outbound.RunAsync(_socket, _coalescing, () => (_closeStatus, _closeReason), _abort.Token);
        var anonymousFor = TimeSpan.FromSeconds(_limits.AnonymousTimeoutSeconds);
        using var anonymous = _time.CreateTimer(_ => CloseIfAnonymous(anonymousFor), null, anonymousFor, Timeout.InfiniteTimeSpan);
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or the close deadline passed: nothing more can be sent.
            await _abort.CancelAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The socket loop is one of the two places allowed a catch-all: a fault must not crash the host.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SocketLog.Faulted(_logger, e, Id);
            await _abort.CancelAsync().ConfigureAwait(false);
        }

        RequestClose((int)WebSocketCloseStatus.NormalClosure, "");
        await _callsFinished.Task.ConfigureAwait(false);
        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The close frame could not be sent; the socket is aborted below.
        }
        if (_socket.State != WebSocketState.Closed)
            _socket.Abort();
        Subscriber.Dispose();
        _events.Dispose();
        Session?.Detach(this);
        CountForUser(null);
        SocketLog.Closed(_logger, Id, (int)(_socket.CloseStatus ?? _closeStatus), _socket.CloseStatusDescription ?? _closeReason);
    }

    /// <summary>Starts closing: running calls finish and queued replies go out before the close frame.</summary>
    public void RequestClose(int closeCode, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) == 1)
            return;
        _closeStatus = (WebSocketCloseStatus)closeCode;
        _closeReason = reason;
        if (closeCode != (int)WebSocketCloseStatus.NormalClosure)
            SocketLog.Closing(_logger, Id, closeCode, reason);
        _abort.CancelAfter(_closeTimeout);
        _ = FinishCallsThenCloseAsync();
    }

    public void Dispose()
    {
        // A call that ignored cancellation past the close deadline still holds a slot; leave its objects to the GC.
        if (!_drained)
            return;
        _inFlight.Dispose();
        _outbound.Dispose();
        _abort.Dispose();
    }

    private bool Closing => Volatile.Read(ref _closeRequested) == 1;

    private void CloseIfAnonymous(TimeSpan after)
    {
        if (Volatile.Read(ref _loggedIn) == 0)
            RequestClose((int)WebSocketCloseStatus.PolicyViolation, $"Not logged in within {after.TotalSeconds:0.###} s of connecting");
    }

    // Every login path binds the session through the Session setter, so this is the one place the per-user cap is kept.
    private void CountForUser(int? userId)
    {
        lock (_sessionLock)
        {
            if (_countedUser == userId)
                return;
            if (_countedUser is { } previous)
                _userSockets.Remove(previous, this);
            _countedUser = userId;
            if (userId is not { } user)
                return;
            Volatile.Write(ref _loggedIn, 1);
            // Closing lets the running login call finish first, so the client still gets the login reply.
            if (!Closing && !_userSockets.Add(user, this))
                RefuseOverUserCap(user);
        }
    }

    private void RefuseOverUserCap(int user)
    {
        _telemetry.Refused(RateLimit.SocketsPerUser);
        RequestClose((int)WebSocketCloseStatus.PolicyViolation, $"User {user} already has {_limits.MaxSocketsPerUser} sockets open; close one first");
    }

    private async Task FinishCallsThenCloseAsync()
    {
        _drained = await _inFlight.DrainAsync(_abort.Token).ConfigureAwait(false);
        _outbound.Complete();
        _callsFinished.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        byte[]? buffer = null;
        // A socket that had to wait for its last message waits for the next without a buffer: ten thousand quiet
        // sockets hold no receive buffer between calls, while a busy one keeps its buffer from message to message.
        var quiet = true;
        try
        {
            while (true)
            {
                var count = 0;
                var result = MessageStarts;
                if (quiet)
                {
                    var wait = _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    quiet = !wait.IsCompleted;
                    if (quiet)
                        _batch.Idle();
                    result = await wait.ConfigureAwait(false);
                    _batch.Busy();
                }
                buffer ??= ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close && count <= _limits.MaxMessageBytes)
                {
                    if (count == buffer.Length)
                        buffer = Grow(buffer, count);
                    var receive = _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    if (!receive.IsCompleted)
                    {
                        _batch.Idle();
                        quiet |= count == 0;
                    }
                    result = await receive.ConfigureAwait(false);
                    _batch.Busy();
                    count += result.Count;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                if (!Closing)
                    await HandleMessageAsync(buffer, count, result.MessageType).ConfigureAwait(false);
                if (quiet || buffer.Length > InitialReceiveBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
            }
        }
        finally
        {
            _batch.Idle();
            if (buffer is not null)
                ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // What the receive loop starts from when it reads a message straight into its buffer: nothing received yet.
    private static readonly ValueWebSocketReceiveResult MessageStarts = new(0, WebSocketMessageType.Text, endOfMessage: false);

    private async ValueTask HandleMessageAsync(byte[] buffer, int count, WebSocketMessageType type)
    {
        if (count > _limits.MaxMessageBytes)
        {
            CloseForAbuse(SocketAbuse.Size, WebSocketCloseStatus.MessageTooBig, $"Message larger than {_limits.MaxMessageBytes} bytes");
            return;
        }

        // Every message gets exactly one reply; its place in the queue is taken before the message is.
        var reserve = _outbound.ReserveAsync(_sendStall, _abort.Token);
        if (!reserve.IsCompleted)
            _batch.Idle();
        if (!await reserve.ConfigureAwait(false))
        {
            CloseForAbuse(SocketAbuse.Stall, WebSocketCloseStatus.PolicyViolation, "Too many replies waiting: the client is not reading");
            return;
        }

        if (type == WebSocketMessageType.Binary)
            ReplyWithError(new FrameError(0, "", Failures.NotText));
        else if (!FrameReader.TryDecode(buffer.AsSpan(0, count), _limits.MaxPayloadDepth, out var frame, out var error))
            ReplyWithError(error);
        // An unknown function costs no token: its 106 is cheap, and a typo must not eat the budget of real calls.
        else if (_dispatcher.Registry.TryGet(frame.Function, out _) && _rate.Admit() is var verdict and not RateVerdict.Run)
            RefuseOverRate(frame, verdict);
        else
            await StartCallAsync(frame).ConfigureAwait(false);
        _batch.Handled();
    }

    private byte[] Grow(byte[] buffer, int count)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _limits.MaxMessageBytes + 1));
        buffer.AsSpan(0, count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    private async Task StartCallAsync(Frame frame)
    {
        var enter = _inFlight.EnterAsync(_abort.Token);
        if (!enter.IsCompleted)
            _batch.Idle();
        await enter.ConfigureAwait(false);
        // Not awaited: a slow call must not hold back the next frame. RunCallAsync catches and logs everything.
        _ = RunCallAsync(frame);
    }

    private async Task RunCallAsync(Frame frame)
    {
        var output = new PooledBufferWriter();
        try
        {
            await _dispatcher.DispatchAsync(frame, this, output, _abort.Token).ConfigureAwait(false);
            var reply = output;
            output = null;
            if (!await _outbound.SendOrEnqueueAsync(reply).ConfigureAwait(false))
                reply.Dispose();
            // A subscription opened by this call starts now, after its reply.
            await Subscriber.AfterReplyAsync(frame.Sequence, _abort.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The dispatcher answers every failure itself; this only guards the encoder.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SocketLog.Faulted(_logger, e, Id);
        }
        finally
        {
            output?.Dispose();
            _inFlight.Exit();
        }
    }

    private void ReplyWithError(FrameError error)
    {
        SocketLog.FrameRefused(_logger, Id, error.Detail);
        var output = new PooledBufferWriter();
        Failures.WriteErrorFrame(output, error.Sequence, error.Function, ErrorCode.InvalidRequest, error.Detail);
        Send(output);
    }

    private void RefuseOverRate(Frame frame, RateVerdict verdict)
    {
        _telemetry.Refused(RateLimit.Socket);
        var output = new PooledBufferWriter();
        FrameWriter.Write(output, MessageType.Reply, frame.Sequence, frame.Function, Failures.RateLimitedPayload);
        Send(output);
        if (verdict == RateVerdict.RefuseAndClose)
            CloseForAbuse(SocketAbuse.Rate, WebSocketCloseStatus.PolicyViolation, $"Far over the rate limit for {_limits.RateLimitCloseAfterSeconds} s");
    }

    private void CloseForAbuse(SocketAbuse abuse, WebSocketCloseStatus status, string reason)
    {
        if (!Closing)
            _telemetry.ClosedForAbuse(abuse, this, reason);
        RequestClose((int)status, reason);
    }

    private void Send(PooledBufferWriter frame)
    {
        // Fails only once closing has completed the queue after its deadline: the reply has nowhere to go.
        if (!_outbound.TryEnqueue(frame))
            frame.Dispose();
    }
}
