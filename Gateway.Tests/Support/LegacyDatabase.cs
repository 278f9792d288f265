using Dapper;
using Gateway.Core;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Support;

/// <summary>
/// A database as schema version 3 left it (before user-name keys), with users written straight into it, as an older
/// gateway could have stored them: names that SQLite's NOCASE told apart although they are one name under Unicode rules.
/// </summary>
public static class LegacyDatabase
{
    public const int Version = 3;

    private const string InsertUser = """
        INSERT INTO users (UserId, UserName, DateTimeCreated, PasswordHash) VALUES (@UserId, @UserName, '2025-01-01T00:00:00.0000000Z', @PasswordHash)
        """;

    private const string GrantSql = "INSERT INTO user_permissions (UserId, Permission) VALUES (@UserId, @Permission)";

    /// <summary>Creates <paramref name="path"/> at version 3 with <paramref name="users"/>: UserId 1 holds Operator, the others Trading.</summary>
    public static async Task CreateAsync(string path, params (int UserId, string UserName, string Password)[] users)
    {
        var hasher = new PasswordHasher(Options.Create(new GatewayOptions()));
        await using var db = await DatabaseProbe.OpenSqliteAsync(path);
        foreach (var (_, _, script) in Migrator.Migrations.Where(m => m.Version <= Version))
            await db.ExecuteAsync(script);
        await db.ExecuteAsync($"PRAGMA user_version = {Version}");
        foreach (var (userId, userName, password) in users)
        {
            await db.ExecuteAsync(InsertUser, new { UserId = userId, UserName = userName, PasswordHash = hasher.Hash(password) });
            await db.ExecuteAsync(GrantSql, new { UserId = userId, Permission = userId == 1 ? "Operator" : "Trading" });
        }
    }
}
