using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Sessions;

/// <summary>
/// The dispatcher's check before every non-public call: a live session, and a permission read from the database
/// now, so a revocation stops the holder's very next call on every socket.
/// </summary>
public sealed class SessionAuthorizer(SessionManager sessions, PermissionStore permissions) : ICallAuthorizer
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
}
