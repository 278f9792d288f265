using System.Globalization;
using System.Text.Json;

namespace Gateway.Client;

/// <summary>
/// A subscription to a user's events (protocol.md section 10) that survives a lost connection: after a reconnect, or
/// when the gateway ended it for reading too slowly, it subscribes again with <c>FromSequence</c> set to the last
/// Sequence it delivered, so the events missed meanwhile come first and none twice. Dispose it to unsubscribe.
/// </summary>
public sealed class UserEventFeed : IAsyncDisposable
{
    private static readonly string[] Names =
    [
        "UserPermissionsEvent", "UserAccountsEvent", "AffiliateTagEvent", "UserInfoEvent", "ApiKeysEvent", "SessionEndedEvent", "SubscriptionEndedEvent",
    ];

    private readonly GatewayClient _client;
    private readonly int? _userId;
    private readonly Action<GatewayReply> _onEvent;
    private readonly List<IDisposable> _handlers = [];
    private readonly Lock _lock = new();
    private long _last;
    private int _disposed;

    internal UserEventFeed(GatewayClient client, int? userId, long fromSequence, Action<GatewayReply> onEvent)
    {
        (_client, _userId, _last, _onEvent) = (client, userId, fromSequence, onEvent);
        foreach (var name in Names)
            _handlers.Add(client.Subscribe(name, OnFrame));
        client.Reconnected += OnReconnected;
    }

    /// <summary>The Sequence of the last event delivered (or where the stream started): where a resubscription resumes.</summary>
    public long LastSequence => Interlocked.Read(ref _last);

    /// <summary>Raised when resubscribing failed (e.g. errorcode 101: too far behind); the stream then delivers nothing more.</summary>
    public event EventHandler<Exception>? Failed;

    internal async Task StartAsync(bool fromGiven, CancellationToken ct)
    {
        var reply = await _client.CallAsync("SubscribeUserEvents", Payload(fromGiven ? LastSequence : null), ct).ConfigureAwait(false);
        // Without FromSequence the stream starts at the newest Sequence now: a reconnect resumes from there.
        if (!fromGiven && reply.TryGetProperty("Sequence", out var sequence))
            Advance(sequence.GetInt64());
    }

    /// <summary>Unsubscribes (when still connected) and stops delivering.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        Detach();
        try
        {
            await _client.SendAsync("UnsubscribeUserEvents", Payload(null)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is GatewayConnectionException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone: so is the subscription.
        }
    }

    private string Payload(long? from)
    {
        var payload = new Dictionary<string, long>();
        if (_userId is { } user)
            payload["UserId"] = user;
        if (from is { } sequence)
            payload["FromSequence"] = sequence;
        return JsonSerializer.Serialize(payload);
    }

    private void OnFrame(GatewayReply frame)
    {
        var payload = frame.Payload;
        var user = payload.TryGetProperty("UserId", out var id) ? id.GetInt32() : -1;
        if (_userId is { } followed ? user != followed && followed != 0 : user != _client.UserId)
            return;
        if (frame.N == "SubscriptionEndedEvent")
        {
            // Ended for reading too slowly: resume from what was delivered.
            Resubscribe();
            return;
        }
        var sequence = payload.GetProperty("Sequence").GetInt64();
        lock (_lock)
        {
            // The log's replay and the live stream may both carry an event across a resubscription: deliver it once.
            if (sequence <= _last || _disposed == 1)
                return;
            _last = sequence;
            _onEvent(frame);
        }
    }

    private void Advance(long sequence)
    {
        lock (_lock)
            _last = Math.Max(_last, sequence);
    }

    private void OnReconnected(object? sender, EventArgs e) => Resubscribe();

    // Not on the receive loop: the call's reply arrives on it.
    private void Resubscribe()
    {
        if (Volatile.Read(ref _disposed) == 1)
            return;
        _ = Task.Run(() => StartAsync(fromGiven: true, CancellationToken.None)).ContinueWith(
            t => Failed?.Invoke(this, t.Exception!.GetBaseException()), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Stops delivering without unsubscribing (the subscription was refused).</summary>
    internal void Abandon()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            Detach();
    }

    private void Detach()
    {
        _client.Reconnected -= OnReconnected;
        foreach (var handler in _handlers)
            handler.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"events of {(_userId?.ToString(CultureInfo.InvariantCulture) ?? "me")} after {LastSequence}");
}
