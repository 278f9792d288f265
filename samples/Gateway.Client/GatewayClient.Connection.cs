using System.Text.Json;
using Websocket.Client;

namespace Gateway.Client;

public sealed partial class GatewayClient
{
    private void OnMessage(ResponseMessage message)
    {
        if (message.Text is not { } text || GatewayReply.TryParse(text) is not { } reply)
            return;
        if (reply.M == 3)
        {
            foreach (var handler in _subscribers.GetValueOrDefault(reply.N)?.Values ?? Enumerable.Empty<Action<GatewayReply>>())
                handler(reply);
            return;
        }
        if (_pending.TryGetValue(reply.I, out var waiting))
            waiting.TrySetResult(reply);
    }

    private void OnDisconnected(DisconnectionInfo info)
    {
        // Calls still waiting will get no reply on a new connection: fail them now, and hold new ones until logged in again.
        if (_ready.Task.IsCompleted)
            _ready = NewGate();
        FailPending(new GatewayConnectionException($"The connection was lost ({info.Type}); the call may or may not have run", info.Exception));
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
            var resumed = await SendNowAsync("WebAuthenticateUser", JsonSerializer.Serialize(new Dictionary<string, string> { ["SessionToken"] = token }), deadline.Token).ConfigureAwait(false);
            if (!(resumed.Payload.TryGetProperty("Authenticated", out var ok) && ok.ValueKind == JsonValueKind.True) && _credentials is not null)
                Accept((await SendNowAsync("AuthenticateUser", _credentials.LoginPayload(), deadline.Token).ConfigureAwait(false)).Payload);
        }
        Reconnected?.Invoke(this, EventArgs.Empty);
        _ready.TrySetResult();
    }

    private void FailPending(Exception error)
    {
        foreach (var (sequence, waiting) in _pending)
        {
            if (_pending.TryRemove(sequence, out _))
                waiting.TrySetException(error);
        }
    }
}
