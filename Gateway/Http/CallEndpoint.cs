using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// <c>/AP/{Name}</c>: the same calls as the socket, through the same dispatcher. The body is the bare payload both
/// ways; 200 for every handled call (result:false included), 401, 404, 400 and 413 as protocol.md section 6 says.
/// </summary>
internal sealed class CallEndpoint(Dispatcher dispatcher, SessionManager sessions, LoginService logins, IOptions<GatewayOptions> options)
{
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
                await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.NotAuthorized, "Authenticate needs HTTP Basic credentials").ConfigureAwait(false);
                return;
            }
            name = "AuthenticateUser";
        }
        if (!dispatcher.Registry.TryGet(name, out var handler))
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, ErrorCode.OperationNotSupported, $"Endpoint Not Found: {name}").ConfigureAwait(false);
            return;
        }

        var limits = options.Value.Limits;
        byte[]? payload;
        if (basic is { } credentials && handler.Name == "AuthenticateUser")
            payload = HttpPayload.Login(credentials);
        else if (signed is not null && handler.Name == "AuthenticateUser")
            payload = HttpPayload.Login(signed);
        else if (HttpMethods.IsGet(request.Method) || (request.Query.Count > 0 && HasNoBody(request)))
            payload = HttpPayload.FromQuery(request.Query);
        else if ((payload = await HttpPayload.ReadBodyAsync(request, limits.MaxMessageBytes, ct).ConfigureAwait(false)) is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCode.InvalidRequest, $"The body is larger than {limits.MaxMessageBytes} bytes").ConfigureAwait(false);
            return;
        }
        if (PayloadValidator.Check(payload, limits.MaxPayloadDepth, "The body") is { } problem)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, ErrorCode.InvalidRequest, problem).ConfigureAwait(false);
            return;
        }

        var connection = new HttpConnection(context.Connection.Id, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        try
        {
            var call = new CallContext { Connection = connection, Function = handler.Name, Payload = payload };
            if (request.Headers["aptoken"].FirstOrDefault() is { Length: > 0 } token)
                connection.Session = await sessions.FindAsync(token, ct).ConfigureAwait(false);
            else if (signed is not null && !handler.Requires.IsPublic)
            {
                // A private call signed with the API-key headers runs in a session of its own that is never stored.
                var login = await logins.ApiKeyLoginAsync(signed, call, oneCall: true, ct).ConfigureAwait(false);
                if (!login.Succeeded)
                {
                    await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.NotAuthorized, SignedRefusal(login.Outcome)).ConfigureAwait(false);
                    return;
                }
            }
            if (!handler.Requires.IsPublic && connection.Session is null)
            {
                await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.NotAuthorized, "Not logged in").ConfigureAwait(false);
                return;
            }
            var outcome = await dispatcher.InvokeAsync(handler, payload, call, ct).ConfigureAwait(false);
            await WriteAsync(context, StatusCodes.Status200OK, outcome.Payload).ConfigureAwait(false);
        }
        finally
        {
            connection.Release();
        }
    }

    private static string SignedRefusal(LoginOutcome outcome) => outcome switch
    {
        LoginOutcome.Replayed => Core.Handlers.Sessions.AuthenticateUserHandler.ReplayedText,
        LoginOutcome.Locked => Core.Handlers.Sessions.AuthenticateUserHandler.LockedText,
        LoginOutcome.Throttled => Core.Handlers.Sessions.AuthenticateUserHandler.RateLimitedText,
        _ => "The API-key headers were refused: check APIKey, UserId, Nonce and the Signature over Nonce + UserId + APIKey",
    };

    // A POST that carries its keys in the query string, as curl users write it, is served from the query.
    private static bool HasNoBody(HttpRequest request) =>
        request.ContentLength == 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding"));

    private static Task WriteAsync(HttpContext context, int status, ErrorCode code, string detail) =>
        WriteAsync(context, status, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(StandardResponse.Failure(code, detail), GatewayJson.Context.StandardResponse));

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
