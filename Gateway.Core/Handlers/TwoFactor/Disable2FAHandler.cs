using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.TwoFactor;

/// <summary>Disable2FA: removes a user's TOTP enrolment; for a user without one it changes nothing and succeeds, so it can be repeated.</summary>
public sealed class Disable2FAHandler(UserLookup lookup, DbWriter writer) : IHandler<TwoFactorRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "Disable2FA";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, Deposit, Withdraw, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(TwoFactorRequest request, CallContext call, CancellationToken ct)
    {
        TwoFactorAccess.EnsureMayChange(call);
        var user = await lookup.ResolveAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        await writer.WriteAsync(call.Audit, async tx =>
        {
            await tx.AuditChangeAsync(AuditStates.User(user.UserId)).ConfigureAwait(false);
            var enrolled = await TotpStore.FindAsync(tx, user.UserId).ConfigureAwait(false) is not null;
            await TotpStore.RemoveAsync(tx, user.UserId).ConfigureAwait(false);
            tx.Change = enrolled ? $"two-factor login disabled for user {user.UserId}" : $"no change: user {user.UserId} had no two-factor login";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
