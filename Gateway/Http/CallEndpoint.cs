using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// <c>/AP/{Name}</c>: translates a request into (function, payload, connection) for the dispatcher and its outcome into
/// a status and the bare payload: 200 for every answered call (result:false included), 401 without a live session,
/// 404 for an unknown function; 400 and 413 for a body it cannot read; 405 for a password-carrying call sent with its keys
/// in the URL (protocol.md section 6).
/// </summary>
internal sealed class CallEndpoint(Dispatcher dispatcher, SessionManager sessions, IOptions<GatewayOptions> options)
{
    private const string Login = "AuthenticateUser";
    private const string BasicLoginAlias = "Authenticate";

    public async Task HandleAsync(HttpContext context, string name)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var basic = HttpPayload.BasicCredentials(request);
        var signed = HttpPayload.SignedHeaders(request);
        if (string.Equals(name, BasicLoginAlias, StringComparison.OrdinalIgnoreCase))
        {
            if (basic is null)
            {
                await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.NotAuthorized, Failures.BasicCredentialsNeeded).ConfigureAwait(false);
                return;
            }
            name = Login;
        }

        var limits = options.Value.Limits;
        var isLogin = string.Equals(name, Login, StringComparison.OrdinalIgnoreCase);
        byte[]? payload;
        if (isLogin && basic is { } credentials)
            payload = HttpPayload.Login(credentials);
        else if (isLogin && signed is not null)
            payload = HttpPayload.Login(signed);
        else if (HttpMethods.IsGet(request.Method) || (request.Query.Count > 0 && HasNoBody(request)))
        {
            // A password in a URL ends up in proxy and access logs: these calls take their keys from a POST body only.
            if (dispatcher.Registry.TryGet(name, out var handler) && handler.PostOnly)
            {
                context.Response.Headers.Allow = "POST";
                await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, ErrorCode.OperationNotSupported, Failures.NotOverGet(handler.Name)).ConfigureAwait(false);
                return;
            }
            payload = HttpPayload.FromQuery(request.Query);
        }
        else if ((payload = await HttpPayload.ReadBodyAsync(request, limits.MaxMessageBytes, ct).ConfigureAwait(false)) is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCode.InvalidRequest, Failures.BodyTooLarge(limits.MaxMessageBytes)).ConfigureAwait(false);
            return;
        }
        if (PayloadValidator.Check(payload, limits.MaxPayloadDepth, "The body") is { } problem)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCode.InvalidRequest, problem).ConfigureAwait(false);
            return;
        }

        // On AuthenticateUser the API-key headers are the login itself, not credentials for the call.
        var connection = await HttpConnection.OpenAsync(context, sessions, keyHeadersAreCredentials: !isLogin).ConfigureAwait(false);
        try
        {
            var outcome = await dispatcher.CallAsync(name, payload, connection, 0, ct).ConfigureAwait(false);
            var status = outcome.Status switch
            {
                CallStatus.UnknownFunction => StatusCodes.Status404NotFound,
                CallStatus.NotLoggedIn => StatusCodes.Status401Unauthorized,
                _ => StatusCodes.Status200OK,
            };
            await WriteAsync(context, status, outcome.Payload).ConfigureAwait(false);
        }
        finally
        {
            connection.Release();
        }
    }

    // A POST that carries its keys in the query string, as curl users write it, is served from the query.
    private static bool HasNoBody(HttpRequest request) =>
        request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));

    private static Task WriteAsync(HttpContext context, int status, ErrorCode code, string detail) =>
        WriteAsync(context, status, Failures.Payload(code, detail));

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
