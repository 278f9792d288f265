using System.Text.Json;
using Websocket.Client;

namespace Gateway.Client;

public sealed partial class GatewayClient
{
    private void OnMessage(ResponseMessage message)
    {
        Interlocked.Increment(ref _received);
        if (message.Text is not { } text)
        {
            Unmatched?.Invoke(this, new UnmatchedMessage(null, message.Binary, null));
            return;
        }
        if (GatewayReply.TryParse(text) is not { } reply)
        {
            Unmatched?.Invoke(this, new UnmatchedMessage(text, null, null));
            return;
        }
        if (reply.M == 3)
        {
            if (_subscribers.GetValueOrDefault(reply.N) is { IsEmpty: false } handlers)
            {
                foreach (var handler in handlers.Values)
                    handler(reply);
                return;
            }
        }
        else if (_pending.TryRemove(reply.I, out var waiting) && waiting.TrySetResult(reply))
        {
            return;
        }
        Unmatched?.Invoke(this, new UnmatchedMessage(text, null, reply));
    }

    private void OnDisconnected(DisconnectionInfo info)
    {
        var lost = new GatewayConnectionException($"The connection was lost ({info.Type}); the call may or may not have run", info.Exception);
        if (_options.ReconnectDelay is null)
        {
            // No reconnect will come: calls made from now on fail at once instead of waiting out their deadline.
            var closed = NewGate();
            closed.SetException(lost);
            _ready = closed;
        }
        else if (_ready.Task.IsCompleted)
        {
            // Calls made from now on wait until the reconnect has logged in again.
            _ready = NewGate();
        }
        // Calls still waiting will get no reply on a new connection: fail them now.
        FailPending(lost);
        Disconnected?.Invoke(this, new GatewayDisconnection(info.CloseStatus, info.CloseStatusDescription, info.Exception));
    }

    private void OnReconnected(ReconnectionInfo info)
    {
        if (info.Type == ReconnectionType.Initial)
            return;
        _ = ResumeAsync().ContinueWith(t => _ready.TrySetException(t.Exception!.GetBaseException()), CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private async Task ResumeAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        deadline.CancelAfter(_options.CallTimeout);
        if (SessionToken is { } token)
        {
            var resumed = await SendNowAsync(0, null, "WebAuthenticateUser", JsonSerializer.Serialize(new Dictionary<string, string> { ["SessionToken"] = token }), deadline.Token).ConfigureAwait(false);
            if (!(resumed.Payload.TryGetProperty("Authenticated", out var ok) && ok.ValueKind == JsonValueKind.True) && _credentials is not null)
                Accept((await SendNowAsync(0, null, "AuthenticateUser", _credentials.LoginPayload(), deadline.Token).ConfigureAwait(false)).Payload);
        }
        Reconnected?.Invoke(this, EventArgs.Empty);
        _ready.TrySetResult();
    }

    private void FailPending(Exception error)
    {
        foreach (var (sequence, waiting) in _pending)
        {
            if (_pending.TryRemove(new KeyValuePair<long, TaskCompletionSource<GatewayReply>>(sequence, waiting)))
                waiting.TrySetException(error);
        }
    }
}
