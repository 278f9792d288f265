using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Sessions;

/// <summary>
/// The dispatcher's check before every non-public call: a live session, and a permission read from the database
/// now, so a revocation stops the holder's very next call on every socket.
/// </summary>
public sealed class SessionAuthorizer(SessionManager sessions, PermissionStore permissions, ApiKeyStore apiKeys) : ICallAuthorizer
{
    /// <inheritdoc />
    public async ValueTask AuthorizeAsync(HandlerDescriptor handler, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(call);
        if (handler.Requires.IsPublic)
            return;

        var session = call.Session ?? throw new GatewayException(ErrorCode.NotAuthorized, "Not logged in");
        if (session.Ended || sessions.IsExpired(session))
        {
            await sessions.EndAsync(session, "Session expired", audited: null, ct).ConfigureAwait(false);
            throw new GatewayException(ErrorCode.NotAuthorized, "Session expired; log in again");
        }
        await sessions.TouchAsync(session, ct).ConfigureAwait(false);

        var held = await permissions.HeldAsync(session.UserId, ct).ConfigureAwait(false);
        if (session.ApiKey is { } apiKey)
            held = await KeyPermissionsAsync(session, apiKey, held, ct).ConfigureAwait(false);
        if (held.Contains(PermissionNames.Operator))
        {
            call.IsOperator = true;
            return;
        }
        if (held.Contains(handler.Name))
            return;
        if (handler.Requires.Umbrellas.Any(held.Contains))
        {
            call.Scoped = true;
            return;
        }
        throw new GatewayException(ErrorCode.NotAuthorized, $"{handler.Name} needs one of these permissions: {handler.Requires}, {handler.Name}");
    }

    // A key holds only its own permissions that its user still holds (an Operator user holds them all).
    private async Task<IReadOnlyList<string>> KeyPermissionsAsync(Session session, string apiKey, IReadOnlyList<string> userHolds, CancellationToken ct)
    {
        var key = await apiKeys.FindAsync(apiKey, ct).ConfigureAwait(false);
        if (key is null)
        {
            await sessions.EndAsync(session, "API key removed", audited: null, ct).ConfigureAwait(false);
            throw new GatewayException(ErrorCode.NotAuthorized, "The API key this session was opened with has been removed");
        }
        var userIsOperator = userHolds.Contains(PermissionNames.Operator);
        return key.PermissionList.Where(p => userIsOperator || userHolds.Contains(p)).ToList();
    }
}
