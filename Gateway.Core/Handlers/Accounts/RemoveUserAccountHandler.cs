using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>RemoveUserAccount (seed 001): breaks the link only; the user and the account remain.</summary>
public sealed class RemoveUserAccountHandler(DbWriter writer) : IHandler<UserAccountRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RemoveUserAccount";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(UserAccountRequest request, CallContext call, CancellationToken ct)
    {
        await writer.WriteAsync(call.Audit, async tx =>
        {
            var (user, account) = await LinkTargets.ResolveAsync(tx, request, Name).ConfigureAwait(false);
            await tx.AuditChangeAsync(AuditStates.Links(user.UserId, account.AccountId)).ConfigureAwait(false);
            if (!await UserAccountStore.UnlinkAsync(tx, user, account.AccountId).ConfigureAwait(false))
                throw new GatewayException(ErrorCode.ResourceNotFound, $"user {user.UserId} is not assigned to account {account.AccountId}");
            tx.Change = $"user {user.UserId} unlinked from account {account.AccountId}";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
