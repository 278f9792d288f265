using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>GetAccountInfo: one account; a scoped caller may read only accounts it is linked to.</summary>
public sealed class GetAccountInfoHandler(AccountStore accounts, UserAccountStore links) : IHandler<AccountRequest, AccountInfo>
{
    /// <inheritdoc />
    public static string Name => "GetAccountInfo";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<AccountInfo> HandleAsync(AccountRequest request, CallContext call, CancellationToken ct)
    {
        if (request.AccountId is not > 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "GetAccountInfo needs AccountId");
        var accountId = request.AccountId.Value;
        // Checked first, so a scoped caller learns nothing about accounts that are not its own, not even whether they exist.
        if (call.Scoped && !await links.IsLinkedAsync(call.CallerId, accountId, ct).ConfigureAwait(false))
            throw new GatewayException(ErrorCode.NotAuthorized, $"account {accountId} is not one of your accounts");
        var account = await accounts.FindAsync(accountId, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"AccountId {accountId} does not exist");
        return AccountInfo.From(account);
    }
}
