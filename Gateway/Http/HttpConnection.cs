using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Gateway.Core.Telemetry;

namespace Gateway.Http;

/// <summary>One HTTP request as the dispatcher sees it: a transport that lives for one call and cannot be closed.</summary>
internal sealed class HttpConnection(string id, string remoteAddress, SignedLogin? oneCallKey) : IConnection
{
    public string Id { get; } = id;

    public string RemoteAddress { get; } = remoteAddress;

    public Session? Session { get; set; }

    public PendingSecondFactor? PendingSecondFactor { get; set; }

    public SignedLogin? OneCallKey { get; } = oneCallKey;

    public CallTransport Transport => CallTransport.Http;

    public string? IdempotencyKey { get; private init; }

    public void RequestClose(int closeCode, string reason)
    {
        // An HTTP request ends with its response; there is nothing to close.
    }

    /// <summary>The request's connection with the session its <c>aptoken</c> names, if any; API-key headers are left to the authorizer.</summary>
    public static async Task<HttpConnection> OpenAsync(HttpContext context, SessionManager sessions, bool keyHeadersAreCredentials)
    {
        var request = context.Request;
        var token = request.Headers["aptoken"].FirstOrDefault();
        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        // A request names its caller one way: a session token, or else the API-key headers.
        var connection = new HttpConnection(context.Connection.Id, remote,
            keyHeadersAreCredentials && string.IsNullOrEmpty(token) ? HttpPayload.SignedHeaders(request) : null)
        {
            // protocol.md 9.1: the header is the call's ClientRequestId; the dispatcher checks it against the payload's.
            IdempotencyKey = request.Headers["Idempotency-Key"].FirstOrDefault(),
        };
        if (!string.IsNullOrEmpty(token))
            connection.Session = await sessions.FindAsync(token, context.RequestAborted).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Unbinds the session (a login over HTTP binds it here) so the session keeps no finished request.</summary>
    public void Release() => Session?.Detach(this);
}
