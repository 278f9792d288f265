using System.Security.Cryptography;
using System.Text;
using Dapper;
using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Storage;

/// <summary>The numbered migrations on a real SQLite file: an empty database reaches the newest version, again is a no-op, and an older one keeps its rows.</summary>
[TestFixture]
public sealed class MigratorTests
{
    private static readonly string[] Tables =
        ["accounts", "audit_log", "login_failures", "sessions", "user_account_permissions", "user_accounts", "user_permissions", "users"];

    private DirectoryInfo _dir = null!;
    private string _path = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("gateway-migrator-");
        _path = Path.Combine(_dir.FullName, "gateway.db");
    }

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    [Test]
    public async Task MigrateAsync_EmptyDatabase_ReachesTheNewestVersionWithEveryTable()
    {
        await using var db = await DatabaseProbe.OpenAsync(_path);
        Assert.That(await db.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.Zero, "a new file starts at version 0");

        var version = await Migrator.MigrateAsync(db, new Database(_path).Dialect, CancellationToken.None);

        Assert.That(Migrator.Migrations, Is.Not.Empty);
        Assert.That(version, Is.EqualTo(Migrator.Migrations.Count));
        Assert.That(await db.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.EqualTo(Migrator.Migrations.Count));
        var tables = await db.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        Assert.That(tables, Is.SupersetOf(Tables));
    }

    [Test]
    public async Task MigrateAsync_AlreadyMigrated_ChangesNothing()
    {
        await using (var first = await DatabaseProbe.OpenAsync(_path))
            await Migrator.MigrateAsync(first, new Database(_path).Dialect, CancellationToken.None);
        var schemaBefore = await SchemaAsync();

        await using var db = await DatabaseProbe.OpenAsync(_path);
        var version = await Migrator.MigrateAsync(db, new Database(_path).Dialect, CancellationToken.None);

        Assert.That(version, Is.EqualTo(Migrator.Migrations.Count));
        Assert.That(await db.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.EqualTo(Migrator.Migrations.Count));
        Assert.That(await SchemaAsync(), Is.EqualTo(schemaBefore));
        Assert.That(schemaBefore, Does.Contain("CREATE TABLE users"));
    }

    [Test]
    public async Task MigrateAsync_VersionThreeDatabaseWithUsers_FillsEveryNameKeyAndKeepsTheNames()
    {
        await LegacyDatabase.CreateAsync(_path, (1, "admin", "password-1"), (2, "émile", "password-2"), (3, "ÉMILE", "password-3"), (4, "ｊａｎｅ", "password-4"));
        await using var db = await DatabaseProbe.OpenAsync(_path);

        var version = await Migrator.MigrateAsync(db, new Database(_path).Dialect, CancellationToken.None);

        Assert.That(version, Is.EqualTo(Migrator.Migrations.Count));
        var rows = await db.QueryAsync<(long, string, string)>("SELECT UserId, UserName, UserNameKey FROM users ORDER BY UserId");
        Assert.That(rows, Is.EqualTo(new[] { (1L, "admin", "admin"), (2L, "émile", "émile"), (3L, "ÉMILE", "émile"), (4L, "ｊａｎｅ", "jane") }));
    }

    [Test]
    public async Task MigrateAsync_PreviousVersionWithAuditRows_ChainsThemAndNewRowsFollow()
    {
        var chainVersion = Migrator.Migrations.Single(m => m.Name == "audit_chain").Version;
        await using (var old = await DatabaseProbe.OpenAsync(_path))
        {
            foreach (var (_, _, script) in Migrator.Migrations.Where(m => m.Version < chainVersion))
                await old.ExecuteAsync(script);
            await old.ExecuteAsync($"PRAGMA user_version = {chainVersion - 1}");
            for (var n = 1; n <= 3; n++)
            {
                await old.ExecuteAsync("INSERT INTO audit_log (At, UserId, SessionId, Function, Payload, Change) VALUES (@At, 1, @SessionId, @Function, @Payload, @Change)",
                    new { At = $"2026-01-0{n}T00:00:00.0000000Z", SessionId = n == 2 ? null : "abc123", Function = "AddAccount", Payload = $"{{\"AccountName\":\"old {n}\"}}", Change = $"account {n} created" });
            }
        }
        var database = new Database(_path);
        var writer = TempDatabase.NewWriter(database);
        await using (writer)
        {
            await writer.OpenAsync(CancellationToken.None);
            await writer.WriteAsync(new AuditEntry(1, null, "AddAccount", "{\"AccountName\":\"new\"}"u8.ToArray()), tx => Task.CompletedTask, CancellationToken.None);
        }

        var result = await AuditChain.VerifyAsync(database, CancellationToken.None);
        SqliteConnection.ClearPool(new SqliteConnection(database.ConnectionString));

        Assert.That(result.Ok, Is.True, result.Detail);
        Assert.That((result.Rows, result.LastId), Is.EqualTo((4L, 4L)));
        await using var db = await DatabaseProbe.OpenAsync(_path);
        Assert.That(await db.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.EqualTo(Migrator.Migrations.Count));
        var old3 = await db.QueryAsync<(long Id, long? TargetUserId, long? TargetAccountId, string? Before, string? After, string Payload)>(
            "SELECT Id, TargetUserId, TargetAccountId, Before, After, Payload FROM audit_log WHERE Id <= 3 ORDER BY Id");
        Assert.That(old3, Is.EqualTo(Enumerable.Range(1, 3).Select(n => ((long)n, (long?)null, (long?)null, (string?)null, (string?)null, $"{{\"AccountName\":\"old {n}\"}}"))),
            "old rows keep what they held and get null targets and states");
        Assert.That(await db.ExecuteScalarAsync<string>("SELECT Hash FROM audit_log WHERE Id = 1"),
            Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AuditHash.Genesis +
                "{\"Id\":1,\"Time\":\"2026-01-01T00:00:00.0000000Z\",\"UserId\":1,\"SessionId\":\"abc123\",\"Function\":\"AddAccount\"," +
                "\"Payload\":{\"AccountName\":\"old 1\"},\"Change\":\"account 1 created\",\"TargetUserId\":null,\"TargetAccountId\":null,\"Before\":null,\"After\":null}")))));
    }

    private async Task<string> SchemaAsync()
    {
        await using var db = await DatabaseProbe.OpenAsync(_path);
        var rows = await db.QueryAsync<string>("SELECT type || ' ' || name || ': ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name");
        return string.Join('\n', rows);
    }
}
