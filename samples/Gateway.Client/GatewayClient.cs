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
public sealed partial class GatewayClient : IAsyncDisposable
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

    /// <summary>Raised after the client reconnected and (when it was logged in) logged in again.</summary>
    public event EventHandler? Reconnected;

    /// <summary>Connects to <paramref name="url"/> (e.g. <c>ws://127.0.0.1:8080/WSGateway</c>).</summary>
    public static async Task<GatewayClient> ConnectAsync(Uri url, GatewayClientOptions? options = null, CancellationToken ct = default)
    {
        var client = new GatewayClient(url, options ?? new GatewayClientOptions());
        try
        {
            await client._socket.StartOrFail().WaitAsync(client._options.CallTimeout, ct).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        client._ready.TrySetResult();
        return client;
    }

    /// <summary>Calls <paramref name="function"/> and returns its reply payload; a failure throws <see cref="GatewayCallException"/>.</summary>
    public async Task<JsonElement> CallAsync(string function, string payload = "{}", CancellationToken ct = default)
    {
        var reply = await SendAsync(function, payload, ct).ConfigureAwait(false);
        return reply.Failed ? throw new GatewayCallException(reply) : reply.Payload;
    }

    /// <summary>Calls <paramref name="function"/> and returns the reply frame as it is, failed or not.</summary>
    public async Task<GatewayReply> SendAsync(string function, string payload = "{}", CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposed.Token);
        deadline.CancelAfter(_options.CallTimeout);
        try
        {
            await _ready.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            return await SendNowAsync(function, payload, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_disposed.IsCancellationRequested)
        {
            throw new TimeoutException($"{function} had no reply within {_options.CallTimeout.TotalSeconds:0.#} s");
        }
    }

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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
            return;
        await _disposed.CancelAsync().ConfigureAwait(false);
        if (_socket.IsRunning)
            await _socket.Stop(WebSocketCloseStatus.NormalClosure, "bye").ConfigureAwait(false);
        foreach (var stream in _streams)
            stream.Dispose();
        _socket.Dispose();
        FailPending(new ObjectDisposedException(nameof(GatewayClient)));
        _disposed.Dispose();
    }

    private async Task<GatewayReply> SendNowAsync(string function, string payload, CancellationToken ct)
    {
        var sequence = Interlocked.Add(ref _lastSequence, 2);
        var reply = new TaskCompletionSource<GatewayReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[sequence] = reply;
        try
        {
            _socket.Send(Frame(sequence, function, payload));
            return await reply.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(sequence, out _);
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

    private static string Frame(long sequence, string function, string payload) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["m"] = 0, ["i"] = sequence, ["n"] = function, ["o"] = payload });

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
