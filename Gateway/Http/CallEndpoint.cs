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
internal sealed class CallEndpoint(Dispatcher dispatcher, SessionManager sessions, IOptions<GatewayOptions> options)
{
    private const string BasicLoginAlias = "Authenticate";

    public async Task HandleAsync(HttpContext context, string name)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        var basic = HttpPayload.BasicCredentials(request);
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
            if (request.Headers["aptoken"].FirstOrDefault() is { Length: > 0 } token)
                connection.Session = await sessions.FindAsync(token, ct).ConfigureAwait(false);
            if (!handler.Requires.IsPublic && connection.Session is null)
            {
                await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCode.NotAuthorized, "Not logged in").ConfigureAwait(false);
                return;
            }
            var call = new CallContext { Connection = connection, Function = handler.Name, Payload = payload };
            var outcome = await dispatcher.InvokeAsync(handler, payload, call, ct).ConfigureAwait(false);
            await WriteAsync(context, StatusCodes.Status200OK, outcome.Payload).ConfigureAwait(false);
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
        WriteAsync(context, status, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(StandardResponse.Failure(code, detail), GatewayJson.Context.StandardResponse));

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
