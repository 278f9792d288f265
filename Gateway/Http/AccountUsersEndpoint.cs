using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Resources;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// <c>/accounts/{accountId}/accountUsers</c> (seed 004): translates a request into a call of
/// <see cref="AccountUsersResource"/> through the dispatcher, and its outcome into calls.md's statuses, refusals as
/// RFC 9457 problem details.
/// </summary>
internal sealed class AccountUsersEndpoint(Dispatcher dispatcher, AccountUsersResource resource, SessionManager sessions, IOptions<GatewayOptions> options)
{
    private static readonly byte[] NoPayload = "{}"u8.ToArray();

    public async Task<IResult> CreateAsync(HttpContext context, string accountId)
    {
        var ct = context.RequestAborted;
        var limit = options.Value.Limits.MaxMessageBytes;
        var body = await HttpPayload.ReadBodyAsync(context.Request, limit, ct).ConfigureAwait(false);
        if (body is null)
            return Problem(StatusCodes.Status413PayloadTooLarge, Failures.BodyTooLarge(limit));
        if (PayloadValidator.Check(body, options.Value.Limits.MaxPayloadDepth, "The body") is { } problem)
            return Problem(StatusCodes.Status400BadRequest, problem);

        var connection = await HttpConnection.OpenAsync(context, sessions, keyHeadersAreCredentials: true).ConfigureAwait(false);
        try
        {
            var call = new CallContext { Connection = connection, Function = AccountUsersResource.AuditName, Payload = body };
            var result = await dispatcher.RunAsync(AccountUsersResource.Create, call, (resource, accountId),
                static (state, call, ct) => state.resource.CreateAsync(state.accountId, call, ct), ct).ConfigureAwait(false);
            if (result.Failure is { } failure)
                return Refusal(failure);
            var (created, link) = result.Value!;
            return created
                ? new WithLocation($"/accounts/{link.AccountId}/accountUsers/{link.Id}", Results.Json(link, ResourceJson.Context.AccountUserDto, statusCode: StatusCodes.Status201Created))
                : Results.Json(link, ResourceJson.Context.AccountUserDto);
        }
        finally
        {
            connection.Release();
        }
    }

    public async Task<IResult> ListAsync(HttpContext context, string accountId, long? linkId = null)
    {
        var connection = await HttpConnection.OpenAsync(context, sessions, keyHeadersAreCredentials: true).ConfigureAwait(false);
        try
        {
            var call = new CallContext { Connection = connection, Function = AccountUsersResource.List.Name, Payload = NoPayload };
            var result = await dispatcher.RunAsync(AccountUsersResource.List, call, (resource, accountId, linkId),
                static (state, _, ct) => state.resource.ListAsync(state.accountId, state.linkId, ct), context.RequestAborted).ConfigureAwait(false);
            if (result.Failure is { } failure)
                return Refusal(failure);
            return linkId is null
                ? Results.Json(result.Value!, ResourceJson.Context.IReadOnlyListAccountUserDto)
                : Results.Json(result.Value![0], ResourceJson.Context.AccountUserDto);
        }
        finally
        {
            connection.Release();
        }
    }

    private static IResult Refusal(GatewayException failure) => Problem(failure switch
    {
        { Unauthenticated: true } => StatusCodes.Status401Unauthorized,
        { Code: ErrorCode.NotAuthorized } => StatusCodes.Status403Forbidden,
        { Code: ErrorCode.ResourceNotFound } => StatusCodes.Status404NotFound,
        { Code: ErrorCode.OperationFailed } => StatusCodes.Status409Conflict,
        { Code: ErrorCode.ServerError } => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    }, failure.Detail, failure.Extensions);

    private static IResult Problem(int status, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: extensions);

    private sealed class WithLocation(string location, IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
