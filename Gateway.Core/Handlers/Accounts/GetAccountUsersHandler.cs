using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>GetAccountUsers: the users linked to an account with each link's AccountUserPermissions.</summary>
public sealed class GetAccountUsersHandler(AccountStore accounts, UserAccountStore links) : IHandler<AccountRequest, IReadOnlyList<AccountUser>>
{
    /// <inheritdoc />
    public static string Name => "GetAccountUsers";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountUser>> HandleAsync(AccountRequest request, CallContext call, CancellationToken ct)
    {
        if (request.AccountId is not > 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "GetAccountUsers needs AccountId");
        if (await accounts.FindAsync(request.AccountId.Value, ct).ConfigureAwait(false) is null)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"AccountId {request.AccountId} does not exist");
        var rows = await links.UsersOfAsync(request.AccountId.Value, ct).ConfigureAwait(false);
        return rows.GroupBy(r => (r.UserId, r.UserName))
            .Select(g => new AccountUser((int)g.Key.UserId, g.Key.UserName, g.Where(r => r.Permission is not null).Select(r => (int)r.Permission!.Value).ToList()))
            .ToList();
    }
}

/// <summary><c>{"UserId","UserName","AccountUserPermissions":[...]}</c>: 0 ViewLineItems, 1 OrderLineItems.</summary>
/// <param name="UserId">The linked user.</param>
/// <param name="UserName">Its name.</param>
/// <param name="AccountUserPermissions">The link's own permissions.</param>
public sealed record AccountUser(int UserId, string UserName, IReadOnlyList<int> AccountUserPermissions);
