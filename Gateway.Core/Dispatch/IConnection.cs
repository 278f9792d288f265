using Gateway.Core.Sessions;

namespace Gateway.Core.Dispatch;

/// <summary>The transport a call arrived on: a WebSocket, or one HTTP request.</summary>
public interface IConnection
{
    /// <summary>A short id used in logs.</summary>
    string Id { get; }

    /// <summary>The peer's address, for logs and per-address limits.</summary>
    string RemoteAddress { get; }

    /// <summary>The session logged in on this transport, if any.</summary>
    Session? Session { get; set; }

    /// <summary>A login whose password was right and that now waits for its second factor on this transport.</summary>
    PendingSecondFactor? PendingSecondFactor { get; set; }

    /// <summary>
    /// API-key credentials sent with this one request (HTTP's four headers): a private call without a session then
    /// runs in a session of its own for this call. Null on a socket.
    /// </summary>
    SignedLogin? OneCallKey { get; }

    /// <summary>How calls arrive here, for the <c>transport</c> tag of the call metrics; a WebSocket unless the transport says otherwise.</summary>
    Telemetry.CallTransport Transport => Telemetry.CallTransport.WebSocket;

    /// <summary>The <c>Idempotency-Key</c> header of this one HTTP request (protocol.md 9.1); null on a socket.</summary>
    string? IdempotencyKey => null;

    /// <summary>
    /// Takes <paramref name="count"/> more requests from this transport's rate limit, for the items of a Batch beyond the
    /// frame that carried them; false, taking none, when the limit has not that many left. Transports without a limit take all.
    /// </summary>
    bool TryTakeRequests(int count) => true;

    /// <summary>The socket's event subscriptions (protocol.md section 10); null on a transport that cannot push (HTTP).</summary>
    Events.Subscriber? Subscriber => null;

    /// <summary>Asks the transport to close after the replies already queued (a no-op for HTTP).</summary>
    void RequestClose(int closeCode, string reason);
}
