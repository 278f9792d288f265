using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;

namespace Gateway.Core.Handlers.Users;

/// <summary>
/// SetUserInfo: changes the fields given and answers the updated user; only an Operator changes EmailVerified, Locked,
/// Active, Email or ExternalUserId, and a changed Email is unverified.
/// </summary>
public sealed class SetUserInfoHandler(DbWriter writer, SessionManager sessions, SecurityEvents security) : IHandler<SetUserInfoRequest, UserInfo>
{
    /// <inheritdoc />
    public static string Name => "SetUserInfo";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(PermissionNames.Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<UserInfo> HandleAsync(SetUserInfoRequest request, CallContext call, CancellationToken ct)
    {
        var userId = request.UserId is > 0 ? request.UserId.Value : call.CallerId;
        call.EnsureMayActOn(userId);
        bool? lockSet = null;
        var updated = await writer.WriteAsync(call.Audit, async tx =>
        {
            var row = await UserStore.FindAsync(tx, userId).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"UserId {userId} does not exist");
            await tx.AuditChangeAsync(AuditStates.User(userId)).ConfigureAwait(false);
            var email = row.Email;
            var wasLocked = row.Locked;
            EnsureOperatorForIdentityFields(request, row, call);
            ApplyOperatorFields(request, row, call);
            lockSet = row.Locked == wasLocked ? null : row.Locked;
            request.ApplyTo(row);
            // A verification belongs to an address: a new one starts unverified, even when the request carries
            // EmailVerified:true (a client may send back the object it read, with the old address's flag).
            if (!string.Equals(row.Email, email, StringComparison.Ordinal))
                row.EmailVerified = false;
            if (await UserStore.TakenFieldAsync(tx, row).ConfigureAwait(false) is { } taken)
                throw new GatewayException(ErrorCode.OperationFailed, $"{taken} is already used by another user");
            await UserStore.UpdateAsync(tx, row).ConfigureAwait(false);
            tx.Change = $"user {userId} updated";
            return row;
        }, ct).ConfigureAwait(false);
        if (lockSet is { } locked)
            await writer.AfterCommitAsync(() =>
            {
                if (locked)
                    security.LockedByOperator(updated.UserName, userId, call);
                else
                    security.Unlocked(updated.UserName, userId, call);
            }, ct).ConfigureAwait(false);
        // Deactivated or locked by an operator: every session of the user ends now, on every socket and token
        // (once committed: never in a dry run).
        if (!updated.MayAct)
            await writer.AfterCommitAsync(token => sessions.EndUserAsync(userId, updated.Active ? SessionEnd.Locked : SessionEnd.Deactivated, token), ct).ConfigureAwait(false);
        return UserInfo.From(updated);
    }

    // Email and ExternalUserId name the user outside the gateway (mail, the accountUsers resource finds users by
    // ExternalUserId), so as for EmailVerified only an Operator changes them; sending back the stored value is no change.
    private static void EnsureOperatorForIdentityFields(SetUserInfoRequest request, UserRow row, CallContext call)
    {
        var changes = (!string.IsNullOrEmpty(request.Email) && !string.Equals(request.Email.Trim(), row.Email, StringComparison.Ordinal))
            || (!string.IsNullOrEmpty(request.ExternalUserId) && !string.Equals(request.ExternalUserId, row.ExternalUserId, StringComparison.Ordinal));
        if (changes && !call.IsOperator)
            throw new GatewayException(ErrorCode.NotAuthorized, "Only an Operator may change Email or ExternalUserId");
    }

    private static void ApplyOperatorFields(SetUserInfoRequest request, UserRow row, CallContext call)
    {
        // A client may send back the whole object it read: only a real change to these fields needs Operator.
        var changes = (request.EmailVerified is { } v && v != row.EmailVerified)
            || (request.Locked is { } l && l != row.Locked)
            || (request.Active is { } a && a != row.Active);
        if (!changes)
            return;
        if (!call.IsOperator)
            throw new GatewayException(ErrorCode.NotAuthorized, "Only an Operator may change EmailVerified, Locked or Active");
        row.EmailVerified = request.EmailVerified ?? row.EmailVerified;
        row.Active = request.Active ?? row.Active;
        if (request.Locked is { } locked && locked != row.Locked)
        {
            row.Locked = locked;
            // An operator's lock has no end time: it lasts until UnLockUser (a failed-login lock carries its start).
            row.LockedTime = null;
            row.NumberOfFailedAttempt = 0;
        }
    }
}

/// <summary><c>{"UserId", fields to change}</c>; an absent UserId is the caller.</summary>
public sealed class SetUserInfoRequest : UserFields, IOmsRequest
{
    /// <summary>Whose fields to change.</summary>
    public int? UserId { get; set; }
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>Operator only.</summary>
    public bool? EmailVerified { get; set; }
    /// <summary>Operator only.</summary>
    public bool? Locked { get; set; }
    /// <summary>Operator only.</summary>
    public bool? Active { get; set; }
}
