using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>GetUserAccounts: the AccountIds linked to a user, ascending; <c>{}</c> is the caller.</summary>
public sealed class GetUserAccountsHandler(UserLookup lookup, AccountStore accounts) : IHandler<UserRequest, ReadOnlyMemory<int>>
{
    /// <inheritdoc />
    public static string Name => "GetUserAccounts";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<int>> HandleAsync(UserRequest request, CallContext call, CancellationToken ct)
    {
        var userId = await lookup.ResolveIdAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        return await accounts.IdsOfUserAsync(userId, ct).ConfigureAwait(false);
    }
}
