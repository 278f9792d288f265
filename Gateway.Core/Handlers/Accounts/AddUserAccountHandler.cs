using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>AddUserAccount (seed 000): links a user to an account; linking a linked pair succeeds and changes nothing.</summary>
public sealed class AddUserAccountHandler(DbWriter writer) : IHandler<UserAccountRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "AddUserAccount";

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
            tx.Change = await UserAccountStore.LinkAsync(tx, user, account).ConfigureAwait(false)
                ? $"user {user.UserId} linked to account {account.AccountId}"
                : $"no change: user {user.UserId} was already linked to account {account.AccountId}";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
