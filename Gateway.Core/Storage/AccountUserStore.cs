using Dapper;

namespace Gateway.Core.Storage;

/// <summary>
/// The links of the seed-004 accountUsers resource, seen from the account: users found by ExternalUserId, each link
/// with its id and its AccountUserPermissions. The links themselves are made and broken by <see cref="UserAccountStore"/>.
/// </summary>
public sealed class AccountUserStore(Database database)
{
    private const string UserByExternalIdSql = "SELECT UserId FROM users WHERE ExternalUserId = @ExternalUserId";
    private const string AccountsOfUserSql = "SELECT AccountId FROM user_accounts WHERE UserId = @UserId ORDER BY AccountId";
    private const string LinkIdSql = "SELECT Id FROM user_accounts WHERE UserId = @UserId AND AccountId = @AccountId";
    private const string LinksOfAccountSql = "SELECT Id, UserId FROM user_accounts WHERE AccountId = @AccountId ORDER BY Id";
    private const string PermissionsSql = "SELECT Id, AccountUserId, Permission FROM user_account_permissions WHERE AccountUserId = @LinkId ORDER BY Permission";
    private const string UsersOfAccountSql = "SELECT UserId FROM user_accounts WHERE AccountId = @AccountId ORDER BY UserId";
    private const string UserTypeSql = "UPDATE users SET UserType = @UserType WHERE UserId = @UserId";

    /// <summary>One AccountUserPermission of a link.</summary>
    /// <param name="Id">The permission row.</param>
    /// <param name="AccountUserId">The link.</param>
    /// <param name="Permission">0 ViewLineItems, 1 OrderLineItems.</param>
    public sealed record PermissionRow(long Id, long AccountUserId, long Permission);

    /// <summary>One link with its user and its permissions.</summary>
    /// <param name="Id">The link's id.</param>
    /// <param name="User">The linked user.</param>
    /// <param name="Permissions">The link's permissions.</param>
    public sealed record Link(long Id, UserRow User, IReadOnlyList<PermissionRow> Permissions);

    private sealed record LinkIds(long Id, long UserId);

    /// <summary>The account and every link to it, read in one snapshot; null when there is no such account.</summary>
    public Task<(AccountRow Account, IReadOnlyList<Link> Links)?> LinksOfAccountAsync(int accountId, CancellationToken ct) =>
        database.ReadSnapshotAsync<(AccountRow Account, IReadOnlyList<Link> Links)?>(async reader =>
        {
            if (await AccountStore.FindAsync(reader, accountId).ConfigureAwait(false) is not { } account)
                return null;
            var links = new List<Link>();
            foreach (var ids in await reader.QueryAsync<LinkIds>(LinksOfAccountSql, new { AccountId = accountId }).ConfigureAwait(false))
            {
                var user = (await UserStore.FindAsync(reader, (int)ids.UserId).ConfigureAwait(false))!;
                links.Add(new Link(ids.Id, user, await PermissionsAsync(reader, ids.Id).ConfigureAwait(false)));
            }
            return (account, links);
        }, ct);

    /// <summary>The user whose ExternalUserId is <paramref name="externalUserId"/>, or null.</summary>
    public static Task<int?> UserByExternalIdAsync(WriteTransaction tx, string externalUserId) =>
        tx.ScalarAsync<int?>(UserByExternalIdSql, new { ExternalUserId = externalUserId });

    /// <summary>
    /// The users linked to <paramref name="accountId"/> as committed, read on a pooled connection of its own; synchronous
    /// for the commit announcement, which runs on the writer's thread (answered from the index at once).
    /// </summary>
    public static IReadOnlyList<int> UsersOfAccount(Database database, int accountId)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var db = database.Open();
        return db.Query<int>(UsersOfAccountSql, new { AccountId = accountId }).AsList();
    }

    /// <summary>The accounts the user is linked to, ascending.</summary>
    public static async Task<IReadOnlyList<int>> AccountsOfUserAsync(WriteTransaction tx, int userId) =>
        (await tx.QueryAsync<int>(AccountsOfUserSql, new { UserId = userId }).ConfigureAwait(false)).ToList();

    /// <summary>The pair's link with its permissions (the pair must be linked).</summary>
    public static async Task<Link> LinkAsync(WriteTransaction tx, UserRow user, int accountId)
    {
        var id = await tx.ScalarAsync<long>(LinkIdSql, new { user.UserId, AccountId = accountId }).ConfigureAwait(false);
        return new Link(id, user, await PermissionsAsync(tx, id).ConfigureAwait(false));
    }

    /// <summary>Sets the user's UserType.</summary>
    public static Task SetUserTypeAsync(WriteTransaction tx, int userId, int userType) =>
        tx.ExecuteForUserAsync(userId, UserTypeSql, new { UserId = userId, UserType = userType });

    private static async Task<IReadOnlyList<PermissionRow>> PermissionsAsync(WriteTransaction tx, long linkId) =>
        (await tx.QueryAsync<PermissionRow>(PermissionsSql, new { LinkId = linkId }).ConfigureAwait(false)).ToList();
}
