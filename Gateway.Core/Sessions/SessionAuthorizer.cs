using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Sessions;

/// <summary>
/// The one decision of who may call what, for every function and resource on every transport: a live session (or
/// API-key credentials sent with the request), and a permission read from the database now, so a revocation stops the
/// holder's very next call on every socket, and a user deactivated or locked by an operator is refused at once. A
/// session opened with an API key holds only that key's permissions.
/// </summary>
public sealed class SessionAuthorizer(SessionManager sessions, UserStore users, PermissionStore permissions, ApiKeyStore apiKeys, LoginService logins) : ICallAuthorizer
{
    /// <inheritdoc />
    public async ValueTask AuthorizeAsync(CallDescriptor target, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(call);
        if (target.Requires.IsPublic)
            return;

        var session = call.Session ?? await OneCallSessionAsync(call, ct).ConfigureAwait(false);
        if (session.Ended || sessions.IsExpired(session))
        {
            await sessions.EndAsync(session, SessionEnd.Expired, audited: null, ct).ConfigureAwait(false);
            throw Failures.NoSession("Session expired; log in again");
        }
        // Who may act is read again on every call: a user deactivated or locked by an operator is out at once, whatever it holds.
        var user = await users.StandingAsync(session.UserId, ct).ConfigureAwait(false);
        if (user is not { MayAct: true })
        {
            var why = (user is { Active: true } ? SessionEnd.Locked : SessionEnd.Deactivated) with { CloseText = "User may no longer act" };
            await sessions.EndAsync(session, why, audited: null, ct).ConfigureAwait(false);
            throw Failures.NoSession($"User {session.UserId} is deactivated or locked; its sessions have ended");
        }
        await sessions.TouchAsync(session, ct).ConfigureAwait(false);

        var held = await permissions.HeldAsync(session.UserId, ct).ConfigureAwait(false);
        if (session.ApiKey is { } apiKey)
            held = await KeyPermissionsAsync(session, apiKey, held, ct).ConfigureAwait(false);
        call.Held = held;
        if (held.Contains(PermissionNames.Operator))
        {
            call.IsOperator = true;
            return;
        }
        if (held.Contains(target.Name) || target.Requires.AnySession)
            return;
        if (HoldsAny(held, target.Requires.Umbrellas))
        {
            call.Scoped = true;
            return;
        }
        throw new GatewayException(ErrorCode.NotAuthorized, $"{target.Name} needs one of these permissions: {Needed(target)}");
    }

    // A loop, not Umbrellas.Any(held.Contains): that costs every scoped call a delegate.
    private static bool HoldsAny(IReadOnlyList<string> held, System.Collections.Immutable.ImmutableArray<string> umbrellas)
    {
        foreach (var umbrella in umbrellas)
        {
            if (held.Contains(umbrella))
                return true;
        }
        return false;
    }

    private static string Needed(CallDescriptor target) =>
        target is HandlerDescriptor ? $"{target.Requires}, {target.Name}" : target.Requires.ToString();

    // API-key headers on an HTTP request: a session for this one call, never stored.
    private async Task<Session> OneCallSessionAsync(CallContext call, CancellationToken ct)
    {
        if (call.Connection.OneCallKey is not { } key)
            throw Failures.NoSession();
        var login = await logins.ApiKeyLoginAsync(key, call, oneCall: true, ct).ConfigureAwait(false);
        if (!login.Succeeded || call.Session is not { } session)
            throw Failures.NoSession(login.Outcome == LoginOutcome.Refused ? Failures.BadKeyHeaders : Failures.LoginText(login.Outcome));
        return session;
    }

    // A key holds only its own permissions that its user still holds (an Operator user holds them all).
    private async Task<IReadOnlyList<string>> KeyPermissionsAsync(Session session, string apiKey, IReadOnlyList<string> userHolds, CancellationToken ct)
    {
        var key = await apiKeys.FindAsync(apiKey, ct).ConfigureAwait(false);
        if (key is null)
        {
            await sessions.EndAsync(session, SessionEnd.KeyRemoved, audited: null, ct).ConfigureAwait(false);
            throw Failures.NoSession("The API key this session was opened with has been removed");
        }
        var userIsOperator = userHolds.Contains(PermissionNames.Operator);
        return key.PermissionList.Where(p => userIsOperator || userHolds.Contains(p)).ToList();
    }
}
