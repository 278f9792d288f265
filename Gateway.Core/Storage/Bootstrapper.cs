using System.Security.Cryptography;
using Gateway.Core.Sessions;

namespace Gateway.Core.Storage;

/// <summary>On an empty database: the operator <c>admin</c> (UserId 1) with its default account (AccountId 1), linked.</summary>
public sealed class Bootstrapper(DbWriter writer, PasswordHasher hasher, TimeProvider time)
{
    private const string AnyUserSql = "SELECT EXISTS (SELECT 1 FROM users)";
    private const string LinkSql = "INSERT INTO user_accounts (UserId, AccountId) VALUES (@UserId, @AccountId)";
    private const string DefaultAccountSql = "UPDATE users SET AccountId = @AccountId WHERE UserId = @UserId";

    /// <summary>Creates <c>admin</c> when there are no users; returns the password it generated, or null when it used
    /// <paramref name="password"/> or the database already had users (which are never touched).</summary>
    public Task<string?> EnsureAdminAsync(string? password, CancellationToken ct) => writer.WriteUnauditedAsync(async tx =>
    {
        if (await tx.ScalarAsync<bool>(AnyUserSql).ConfigureAwait(false))
            return null;
        var generated = string.IsNullOrEmpty(password) ? Generate() : null;
        var admin = new UserRow
        {
            UserName = "admin",
            DateTimeCreated = Timestamps.Iso(time.GetUtcNow()),
            PasswordHash = hasher.Hash(generated ?? password!),
        };
        // On an empty database these are UserId 1 and AccountId 1; the ids are taken as given all the same (a PostgreSQL
        // sequence does not roll back with a failed first attempt).
        var userId = await UserStore.InsertAsync(tx, admin).ConfigureAwait(false);
        await PermissionStore.GrantAsync(tx, userId, PermissionNames.Operator).ConfigureAwait(false);
        var accountId = await AccountStore.InsertAsync(tx, new AccountRow { AccountName = "admin", AccountHandle = "admin" }).ConfigureAwait(false);
        var ids = new { UserId = userId, AccountId = accountId };
        await tx.ExecuteAsync(LinkSql, ids).ConfigureAwait(false);
        await tx.ExecuteAsync(DefaultAccountSql, ids).ConfigureAwait(false);
        // Unaudited, so marked: another node may hold "no such user" for admin in its cache.
        tx.MarkChanged(userId, accountId);
        return generated;
    }, ct);

    private static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
