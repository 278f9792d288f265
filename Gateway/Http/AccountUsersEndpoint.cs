using System.Text.Json;
using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Resources;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// <c>/accounts/{accountId}/accountUsers</c> (seed 004) for operators via <c>aptoken</c>: statuses as calls.md's table says,
/// refusals as RFC 9457 problem details.
/// </summary>
internal sealed partial class AccountUsersEndpoint(AccountUsersResource resource, SessionManager sessions, PermissionStore permissions,
    IOptions<GatewayOptions> options, ILogger<AccountUsersEndpoint> logger)
{
    public async Task<IResult> CreateAsync(HttpContext context, string accountId)
    {
        var ct = context.RequestAborted;
        var (refusal, connection) = await AuthorizeAsync(context).ConfigureAwait(false);
        if (refusal is not null)
            return refusal;
        try
        {
            if (ParseAccountId(accountId) is not { } id)
                return Problem(StatusCodes.Status400BadRequest, $"accountId in the path must be a positive integer, not '{accountId}'");
            var limit = options.Value.Limits.MaxMessageBytes;
            var body = await HttpPayload.ReadBodyAsync(context.Request, limit, ct).ConfigureAwait(false);
            if (body is null)
                return Problem(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {limit} bytes");
            if (PayloadValidator.Check(body, options.Value.Limits.MaxPayloadDepth, "The body") is { } problem)
                return Problem(StatusCodes.Status400BadRequest, problem);
            if (PayloadValidator.CheckStrings(body, options.Value.Limits.MaxStringLength) is { } tooLong)
                return Problem(StatusCodes.Status400BadRequest, tooLong);
            AccountUserCreateDto request;
            try
            {
                request = JsonSerializer.Deserialize(body, ResourceJson.Context.AccountUserCreateDto) ?? new AccountUserCreateDto();
            }
            catch (JsonException e)
            {
                return Problem(StatusCodes.Status400BadRequest, e.Path is null or "$"
                    ? "The body must be a JSON object such as {\"ExternalUserId\":\"...\"}"
                    : $"{e.Path.TrimStart('$', '.')} has a value of the wrong type");
            }

            var call = new CallContext { Connection = connection, Function = AccountUsersResource.AuditName, Payload = body };
            var outcome = await resource.CreateAsync(id, request, call, ct).ConfigureAwait(false);
            return outcome.Status switch
            {
                AccountUsersStatus.Created => Created(id, outcome.Body!),
                AccountUsersStatus.Existing => Results.Json(outcome.Body, ResourceJson.Context.AccountUserDto),
                AccountUsersStatus.Conflict => Problem(StatusCodes.Status409Conflict, outcome.Detail!, new Dictionary<string, object?> { ["accountIds"] = outcome.AccountIds }),
                AccountUsersStatus.NotFound => Problem(StatusCodes.Status404NotFound, outcome.Detail!),
                _ => Problem(StatusCodes.Status400BadRequest, outcome.Detail!),
            };
        }
#pragma warning disable CA1031 // As in the dispatcher: a fault becomes a fixed answer, never a stack trace.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFault(logger, e);
            return Problem(StatusCodes.Status500InternalServerError, Dispatcher.ServerFaultDetail);
        }
        finally
        {
            connection.Release();
        }
    }

    public async Task<IResult> ListAsync(HttpContext context, string accountId, long? linkId = null)
    {
        var (refusal, connection) = await AuthorizeAsync(context).ConfigureAwait(false);
        connection.Release();
        if (refusal is not null)
            return refusal;
        if (ParseAccountId(accountId) is not { } id)
            return Problem(StatusCodes.Status400BadRequest, $"accountId in the path must be a positive integer, not '{accountId}'");
        var links = await resource.ListAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (links is null)
            return Problem(StatusCodes.Status404NotFound, $"Account {id} does not exist");
        if (linkId is null)
            return Results.Json(links, ResourceJson.Context.IReadOnlyListAccountUserDto);
        return links.FirstOrDefault(l => l.Id == linkId) is { } link
            ? Results.Json(link, ResourceJson.Context.AccountUserDto)
            : Problem(StatusCodes.Status404NotFound, $"Account {id} has no accountUser {linkId}");
    }

    private async Task<(IResult? Refusal, HttpConnection Connection)> AuthorizeAsync(HttpContext context)
    {
        var connection = new HttpConnection(context.Connection.Id, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (context.Request.Headers["aptoken"].FirstOrDefault() is { Length: > 0 } token)
            connection.Session = await sessions.FindAsync(token, context.RequestAborted).ConfigureAwait(false);
        if (connection.Session is not { } session)
            return (Problem(StatusCodes.Status401Unauthorized, "Send the aptoken header with a session token from AuthenticateUser"), connection);
        var held = await permissions.HeldAsync(session.UserId, context.RequestAborted).ConfigureAwait(false);
        if (!held.Contains(PermissionNames.Operator))
            return (Problem(StatusCodes.Status403Forbidden, "Only an Operator may manage account users"), connection);
        return (null, connection);
    }

    private static int? ParseAccountId(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;

    private static WithLocation Created(int accountId, AccountUserDto body) =>
        new WithLocation($"/accounts/{accountId}/accountUsers/{body.Id}", Results.Json(body, ResourceJson.Context.AccountUserDto, statusCode: StatusCodes.Status201Created));

    private static IResult Problem(int status, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: extensions);

    [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "accountUsers request failed; answered 500")]
    private static partial void LogFault(ILogger logger, Exception exception);

    private sealed class WithLocation(string location, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
