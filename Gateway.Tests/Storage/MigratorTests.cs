using Dapper;
using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>The numbered migrations on a real SQLite file: an empty database reaches the newest version, and again is a no-op.</summary>
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

        var version = await Migrator.MigrateAsync(db, CancellationToken.None);

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
            await Migrator.MigrateAsync(first, CancellationToken.None);
        var schemaBefore = await SchemaAsync();

        await using var db = await DatabaseProbe.OpenAsync(_path);
        var version = await Migrator.MigrateAsync(db, CancellationToken.None);

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

        var version = await Migrator.MigrateAsync(db, CancellationToken.None);

        Assert.That(version, Is.EqualTo(Migrator.Migrations.Count));
        var rows = await db.QueryAsync<(long, string, string)>("SELECT UserId, UserName, UserNameKey FROM users ORDER BY UserId");
        Assert.That(rows, Is.EqualTo(new[] { (1L, "admin", "admin"), (2L, "émile", "émile"), (3L, "ÉMILE", "émile"), (4L, "ｊａｎｅ", "jane") }));
    }

    private async Task<string> SchemaAsync()
    {
        await using var db = await DatabaseProbe.OpenAsync(_path);
        var rows = await db.QueryAsync<string>("SELECT type || ' ' || name || ': ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name");
        return string.Join('\n', rows);
    }
}
