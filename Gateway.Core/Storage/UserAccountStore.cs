using Dapper;

namespace Gateway.Core.Storage;

/// <summary>User–account links and their AccountUserPermissions (0 ViewLineItems, 1 OrderLineItems).</summary>
public sealed class UserAccountStore(Database database)
{
    private const string LinkedSql = "SELECT EXISTS (SELECT 1 FROM user_accounts WHERE UserId = @UserId AND AccountId = @AccountId)";
    private const string InsertSql = "INSERT INTO user_accounts (UserId, AccountId) VALUES (@UserId, @AccountId) ON CONFLICT DO NOTHING RETURNING Id";
    private const string PermissionSql = "INSERT INTO user_account_permissions (AccountUserId, Permission) VALUES (@LinkId, @Permission)";
    private const string DeleteSql = "DELETE FROM user_accounts WHERE UserId = @UserId AND AccountId = @AccountId";
    private const string LowestSql = "SELECT coalesce(min(AccountId), 0) FROM user_accounts WHERE UserId = @UserId";
    private const string DefaultSql = "UPDATE users SET AccountId = @AccountId WHERE UserId = @UserId";
    private const string UsersOfSql = """
        SELECT l.Id AS LinkId, u.UserId, u.UserName, p.Permission
        FROM user_accounts l JOIN users u ON u.UserId = l.UserId
        LEFT JOIN user_account_permissions p ON p.AccountUserId = l.Id
        WHERE l.AccountId = @AccountId ORDER BY u.UserId, p.Permission
        """;

    /// <summary>One row of a link with one of its permissions (null when it has none).</summary>
    public sealed record LinkRow(long LinkId, long UserId, string UserName, long? Permission);

    /// <summary>True when <paramref name="userId"/> is linked to <paramref name="accountId"/>.</summary>
    public async Task<bool> IsLinkedAsync(int userId, int accountId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.ExecuteScalarAsync<bool>(new CommandDefinition(LinkedSql, new { UserId = userId, AccountId = accountId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Every link of <paramref name="accountId"/> with its permissions, by UserId.</summary>
    public async Task<IReadOnlyList<LinkRow>> UsersOfAsync(int accountId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await db.QueryAsync<LinkRow>(new CommandDefinition(UsersOfSql, new { AccountId = accountId }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>
    /// Links the pair, with the permissions the account's flags give, and makes the account the user's default when it
    /// has none. False when the pair was already linked (nothing changes).
    /// </summary>
    public static async Task<bool> LinkAsync(WriteTransaction tx, UserRow user, AccountRow account)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(account);
        tx.MarkChanged(user.UserId);
        var linkId = await tx.ScalarAsync<long?>(InsertSql, new { user.UserId, account.AccountId }).ConfigureAwait(false);
        if (linkId is null)
            return false;
        if (account.ViewLineItemPermissionFlag)
            await tx.ExecuteAsync(PermissionSql, new { LinkId = linkId, Permission = 0 }).ConfigureAwait(false);
        if (account.OrderLineItemPermissionFlag)
            await tx.ExecuteAsync(PermissionSql, new { LinkId = linkId, Permission = 1 }).ConfigureAwait(false);
        if (user.AccountId == 0)
            await tx.ExecuteAsync(DefaultSql, new { user.UserId, account.AccountId }).ConfigureAwait(false);
        return true;
    }

    /// <summary>Breaks the link (its permissions go with it); a default account moves to the lowest one left, or 0. False when not linked.</summary>
    public static async Task<bool> UnlinkAsync(WriteTransaction tx, UserRow user, int accountId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(user);
        tx.MarkChanged(user.UserId);
        if (await tx.ExecuteAsync(DeleteSql, new { user.UserId, AccountId = accountId }).ConfigureAwait(false) == 0)
            return false;
        if (user.AccountId == accountId)
        {
            var next = await tx.ScalarAsync<int>(LowestSql, new { user.UserId }).ConfigureAwait(false);
            await tx.ExecuteAsync(DefaultSql, new { user.UserId, AccountId = next }).ConfigureAwait(false);
        }
        return true;
    }
}
