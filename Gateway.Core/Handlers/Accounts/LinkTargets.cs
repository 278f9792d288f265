using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>Finds the user and account an AddUserAccount/RemoveUserAccount request names, inside its transaction.</summary>
public static class LinkTargets
{
    /// <summary>
    /// Each side by id or by name: neither given is 100, both given must name the same row (else 100),
    /// a row that does not exist is 104 naming which.
    /// </summary>
    public static async Task<(UserRow User, AccountRow Account)> ResolveAsync(WriteTransaction tx, UserAccountRequest request, string function)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(request);
        var accountId = request.AccountId is > 0 ? request.AccountId : null;
        var handle = string.IsNullOrEmpty(request.AccountHandle) ? null : request.AccountHandle;
        var userId = request.UserId is > 0 ? request.UserId : null;
        var userName = string.IsNullOrEmpty(request.UserName) ? null : request.UserName;
        if (accountId is null && handle is null)
            throw new GatewayException(ErrorCode.InvalidRequest, $"{function} needs accountId or accountHandle");
        if (userId is null && userName is null)
            throw new GatewayException(ErrorCode.InvalidRequest, $"{function} needs userId or userName");

        var account = accountId is not null
            ? await AccountStore.FindAsync(tx, accountId.Value).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"accountId {accountId} does not exist")
            : await AccountStore.FindByHandleAsync(tx, handle!).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"accountHandle '{handle}' does not exist");
        if (handle is not null && !string.Equals(account.AccountHandle, handle, StringComparison.OrdinalIgnoreCase))
            throw new GatewayException(ErrorCode.InvalidRequest, "accountId and accountHandle name different accounts");

        var user = userId is not null
            ? await UserStore.FindAsync(tx, userId.Value).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {userId} does not exist")
            : await UserStore.FindByNameAsync(tx, userName!).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"userName '{userName}' does not exist");
        if (userName is not null && !string.Equals(user.UserNameKey, UserNames.Key(userName), StringComparison.Ordinal))
            throw new GatewayException(ErrorCode.InvalidRequest, "userId and userName name different users");
        return (user, account);
    }
}
