using System.Security.Cryptography;
using Gateway.Core.Sessions;

namespace Gateway.Core.Storage;

/// <summary>On an empty database: the operator <c>admin</c> (UserId 1) with its default account (AccountId 1), linked.</summary>
public sealed class Bootstrapper(DbWriter writer, PasswordHasher hasher, TimeProvider time)
{
    private const string AnyUserSql = "SELECT EXISTS (SELECT 1 FROM users)";
    private const string AccountSql = "INSERT INTO accounts (AccountId, AccountName, AccountHandle) VALUES (1, 'admin', 'admin')";
    private const string LinkSql = "INSERT INTO user_accounts (UserId, AccountId) VALUES (1, 1)";
    private const string DefaultAccountSql = "UPDATE users SET AccountId = 1 WHERE UserId = 1";

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
        await UserStore.InsertAsync(tx, admin).ConfigureAwait(false);
        await PermissionStore.GrantAsync(tx, 1, PermissionNames.Operator).ConfigureAwait(false);
        await tx.ExecuteAsync(AccountSql).ConfigureAwait(false);
        await tx.ExecuteAsync(LinkSql).ConfigureAwait(false);
        await tx.ExecuteAsync(DefaultAccountSql).ConfigureAwait(false);
        return generated;
    }, ct);

    private static string Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
