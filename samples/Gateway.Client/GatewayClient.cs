using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Websocket.Client;

namespace Gateway.Client;

/// <summary>
/// A client for the gateway's WebSocket: calls correlated by <c>i</c> (2, 4, 6...), failures as typed exceptions, a
/// deadline per call, and after a lost connection a reconnect that logs in again (session token first, then the
/// credentials) before the next call is sent.
/// </summary>
public sealed partial class GatewayClient : IAsyncDisposable, IDisposable
{
    private readonly WebsocketClient _socket;
    private readonly GatewayClientOptions _options;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<GatewayReply>> _pending = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Action<GatewayReply>>> _subscribers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IDisposable> _streams = [];
    private readonly CancellationTokenSource _disposed = new();
    private TaskCompletionSource _ready = NewGate();
    private Credentials? _credentials;
    private long _lastSequence;
    private long _received;
    private int _disposing;

    private GatewayClient(Uri url, GatewayClientOptions options)
    {
        _options = options;
        _socket = new WebsocketClient(url)
        {
            IsReconnectionEnabled = options.ReconnectDelay is not null,
            ReconnectTimeout = null,
            ErrorReconnectTimeout = options.ReconnectDelay,
            LostReconnectTimeout = options.ReconnectDelay,
        };
        _streams.Add(_socket.MessageReceived.Subscribe(OnMessage));
        _streams.Add(_socket.DisconnectionHappened.Subscribe(OnDisconnected));
        _streams.Add(_socket.ReconnectionHappened.Subscribe(OnReconnected));
    }

    /// <summary>The token of the current session, once logged in.</summary>
    public string? SessionToken { get; private set; }

    /// <summary>The logged-in user's id, once logged in.</summary>
    public int? UserId { get; private set; }

    /// <summary>Every message received since the client started, whoever took it.</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>Raised after the client reconnected and (when it was logged in) logged in again.</summary>
    public event EventHandler? Reconnected;

    /// <summary>
    /// Raised, on the receive loop, for each message no waiting call or subscriber took: a reply to a call that already
    /// gave up, an event nobody subscribed to, text that is not a frame, a binary message.
    /// </summary>
    public event EventHandler<UnmatchedMessage>? Unmatched;

    /// <summary>Raised each time the connection closes or is lost, with the close code and reason the gateway sent.</summary>
    public event EventHandler<GatewayDisconnection>? Disconnected;

    /// <summary>Connects to <paramref name="url"/> (e.g. <c>ws://127.0.0.1:8080/WSGateway</c>).</summary>
    public static async Task<GatewayClient> ConnectAsync(Uri url, GatewayClientOptions? options = null, CancellationToken ct = default)
    {
        var client = Create(url, options);
        try
        {
            await client.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return client;
    }

    /// <summary>A client for <paramref name="url"/> that is not connected yet: subscribe to its events, then <see cref="StartAsync"/>.</summary>
    public static GatewayClient Create(Uri url, GatewayClientOptions? options = null) => new(url, options ?? new GatewayClientOptions());

    /// <summary>Connects a client made with <see cref="Create"/>; calls wait until it is connected.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _socket.StartOrFail().WaitAsync(_options.CallTimeout, ct).ConfigureAwait(false);
        _ready.TrySetResult();
    }

    /// <summary>Calls <paramref name="function"/> and returns its reply payload; a failure throws <see cref="GatewayCallException"/>.</summary>
    public async Task<JsonElement> CallAsync(string function, string payload = "{}", CancellationToken ct = default)
    {
        var reply = await SendAsync(function, payload, ct).ConfigureAwait(false);
        return reply.Failed ? throw new GatewayCallException(reply) : reply.Payload;
    }

    /// <summary>
    /// Calls <paramref name="function"/> and returns the reply frame as it is, failed or not; a write call carries
    /// <c>"DryRun":true</c> when the options ask for it.
    /// </summary>
    public Task<GatewayReply> SendAsync(string function, string payload = "{}", CancellationToken ct = default) =>
        SendFrameAsync(0, function, WriteCalls.Mark(function, payload, _options.DryRun, clientRequestId: null), ct);

    /// <summary>
    /// Calls a write call with <paramref name="clientRequestId"/>: sent again with the same id and payload (after a lost
    /// connection, or by a script run again), it answers the first reply and changes nothing (protocol.md 9.1).
    /// </summary>
    public Task<GatewayReply> SendOnceAsync(string function, string payload, string clientRequestId, CancellationToken ct = default) =>
        SendFrameAsync(0, function, WriteCalls.Mark(function, payload, _options.DryRun, clientRequestId), ct);

    /// <summary>
    /// Sends a frame of type <paramref name="m"/> (0 a request, 2 subscribe, 4 unsubscribe) with the client's next
    /// <c>i</c> and returns the reply frame carrying that <c>i</c>, failed or not.
    /// </summary>
    public Task<GatewayReply> SendFrameAsync(int m, string function, string payload = "{}", CancellationToken ct = default) =>
        WithDeadlineAsync(function, token => SendNowAsync(m, null, function, payload, token), ct);

    /// <summary>
    /// Sends a frame with the caller's own <paramref name="m"/> and <paramref name="sequence"/> and returns the reply
    /// carrying that <c>i</c>. For protocol tools: the client numbers around a chosen <c>i</c>, but a caller that
    /// reuses the <c>i</c> of a call still waiting gets <see cref="InvalidOperationException"/>.
    /// </summary>
    public Task<GatewayReply> SendFrameAsync(int m, long sequence, string function, string payload = "{}", CancellationToken ct = default) =>
        WithDeadlineAsync(function, token => SendNowAsync(m, sequence, function, payload, token), ct);

    /// <summary>
    /// Waits for the reply carrying <paramref name="sequence"/> to a frame the caller sends itself with
    /// <see cref="SendRaw(string)"/>; registered before this returns, so send after calling it. No deadline but
    /// <paramref name="ct"/>; a lost connection fails it.
    /// </summary>
    public Task<GatewayReply> ExpectReply(long sequence, CancellationToken ct = default)
    {
        var reply = NewWaiter();
        if (!_pending.TryAdd(sequence, reply))
            throw new InvalidOperationException($"a reply with i={sequence} is already awaited");
        return AwaitReplyAsync(sequence, reply, ct);
    }

    /// <summary>Queues <paramref name="text"/> as one text message, exactly as given (a frame built by hand, or not a frame at all).</summary>
    public void SendRaw(string text) => _socket.Send(text);

    /// <summary>Queues <paramref name="bytes"/> as one binary message (the gateway answers those with an error frame).</summary>
    public void SendRaw(byte[] bytes) => _socket.Send(bytes);

    /// <summary>Logs in; the client remembers the credentials to log in again after a reconnect.</summary>
    public async Task<JsonElement> LoginAsync(Credentials credentials, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var payload = await CallAsync("AuthenticateUser", credentials.LoginPayload(), ct).ConfigureAwait(false);
        Accept(payload);
        _credentials = credentials;
        return payload;
    }

    /// <summary>Completes a login that answered <c>Requires2FA</c> with the authenticator app's code.</summary>
    public async Task<JsonElement> SecondFactorAsync(string code, CancellationToken ct = default)
    {
        var payload = await CallAsync("Authenticate2FA", JsonSerializer.Serialize(new Dictionary<string, string> { ["Code"] = code }), ct).ConfigureAwait(false);
        Accept(payload);
        return payload;
    }

    /// <summary>Delivers every event frame (m=3) named <paramref name="function"/> to <paramref name="handler"/> until disposed.</summary>
    public IDisposable Subscribe(string function, Action<GatewayReply> handler)
    {
        var id = Guid.NewGuid();
        _subscribers.GetOrAdd(function, _ => new()).TryAdd(id, handler);
        return new Subscription(() => _subscribers.GetValueOrDefault(function)?.TryRemove(id, out _));
    }

    /// <summary>
    /// Follows the events of <paramref name="userId"/> (null: the logged-in user; 0: every user, for an Operator),
    /// after replaying those after <paramref name="fromSequence"/> when given. <paramref name="onEvent"/> runs on the
    /// receive loop, in Sequence order, once per event, also across reconnects (the stream resumes from the last
    /// Sequence it delivered). A refusal throws <see cref="GatewayCallException"/>.
    /// </summary>
    public async Task<UserEventFeed> SubscribeUserEventsAsync(Action<GatewayReply> onEvent, long? fromSequence = null, int? userId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var stream = new UserEventFeed(this, userId, fromSequence ?? 0, onEvent);
        try
        {
            await stream.StartAsync(fromSequence is not null, ct).ConfigureAwait(false);
        }
        catch
        {
            stream.Abandon();
            throw;
        }
        return stream;
    }

    /// <summary>Closes the socket with a normal closure, then releases it; calls still waiting fail.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
            return;
        await _disposed.CancelAsync().ConfigureAwait(false);
        if (_socket.IsRunning)
            await _socket.Stop(WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
        Release();
    }

    /// <summary>Drops the socket without a close handshake; calls still waiting fail.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposing, 1) == 1)
            return;
        _disposed.Cancel();
        Release();
    }

    private void Release()
    {
        foreach (var stream in _streams)
            stream.Dispose();
        _socket.Dispose();
        FailPending(new ObjectDisposedException(nameof(GatewayClient)));
        _disposed.Dispose();
    }

    private async Task<GatewayReply> WithDeadlineAsync(string function, Func<CancellationToken, Task<GatewayReply>> send, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        deadline.CancelAfter(_options.CallTimeout);
        try
        {
            await _ready.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            return await send(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            throw new TimeoutException($"{function} had no reply within {_options.CallTimeout.TotalSeconds:0.#} s");
        }
    }

    private Task<GatewayReply> SendNowAsync(int m, long? chosen, string function, string payload, CancellationToken ct)
    {
        var reply = NewWaiter();
        long sequence;
        if (chosen is { } given)
        {
            sequence = given;
            if (!_pending.TryAdd(sequence, reply))
                throw new InvalidOperationException($"a reply with i={sequence} is already awaited");
        }
        else
        {
            // The client's own numbering steps over an i that a caller chose and is still waiting on.
            do
                sequence = Interlocked.Add(ref _lastSequence, 2);
            while (!_pending.TryAdd(sequence, reply));
        }
        var waiting = AwaitReplyAsync(sequence, reply, ct);
        _socket.Send(Frame(m, sequence, function, payload));
        return waiting;
    }

    private async Task<GatewayReply> AwaitReplyAsync(long sequence, TaskCompletionSource<GatewayReply> reply, CancellationToken ct)
    {
        try
        {
            // A connection closed for good before the waiter was added fails it here; one closed after, in FailPending.
            if (_ready.Task.IsFaulted)
                await _ready.Task.ConfigureAwait(false);
            return await reply.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(new KeyValuePair<long, TaskCompletionSource<GatewayReply>>(sequence, reply));
        }
    }

    private void Accept(JsonElement login)
    {
        if (login.TryGetProperty("Authenticated", out var ok) && ok.ValueKind == JsonValueKind.True)
        {
            SessionToken = login.TryGetProperty(nameof(SessionToken), out var token) ? token.GetString() : SessionToken;
            UserId = login.TryGetProperty("User", out var user) ? user.GetProperty(nameof(UserId)).GetInt32()
                : login.TryGetProperty(nameof(UserId), out var id) ? id.GetInt32() : UserId;
            return;
        }
        var message = login.TryGetProperty("errormsg", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        var requires2FA = login.TryGetProperty("Requires2FA", out var twoFactor) && twoFactor.ValueKind == JsonValueKind.True;
        var locked = login.TryGetProperty("Locked", out var lockFlag) && lockFlag.ValueKind == JsonValueKind.True;
        throw new GatewayLoginException(message ?? (requires2FA ? "A second factor is required: send Authenticate2FA with the code" : "Login refused"), locked, requires2FA);
    }

    private static string Frame(int m, long sequence, string function, string payload) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["m"] = m, ["i"] = sequence, ["n"] = function, ["o"] = payload });

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource<GatewayReply> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
