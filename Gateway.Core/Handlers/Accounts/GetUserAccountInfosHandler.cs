using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>GetUserAccountInfos: the accounts linked to a user, as account objects by ascending id; <c>{}</c> is the caller.</summary>
public sealed class GetUserAccountInfosHandler(UserLookup lookup, AccountStore accounts) : IHandler<UserRequest, IReadOnlyList<AccountInfo>>
{
    /// <inheritdoc />
    public static string Name => "GetUserAccountInfos";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountInfo>> HandleAsync(UserRequest request, CallContext call, CancellationToken ct)
    {
        var userId = await lookup.ResolveIdAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        return (await accounts.OfUserAsync(userId, ct).ConfigureAwait(false)).Select(AccountInfo.From).ToList();
    }
}
