using System.Text.Json;
using Dapper;
using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Admin;

/// <summary>
/// <c>Gateway admin</c> as a process on a gateway's database: each command's effect as a user sees it, its audit row
/// (UserId 0, Function <c>admin &lt;command&gt;</c>, no secret), refusal while a gateway runs, and usage errors.
/// </summary>
[TestFixture]
public sealed class AdminCommandTests
{
    private const string NewPasswordVariable = "GATEWAY_NEW_PASSWORD";

    [Test]
    [CancelAfter(180_000)]
    public async Task Unlock_LockedOutAdmin_RefusedWhileTheGatewayRunsThenLetsAdminLogIn(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-admin-");
        try
        {
            var database = Path.Combine(dir.FullName, "gateway.db");
            var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword };
            await using (var gateway = await HostProcess.StartAsync(dir.FullName, environment))
            {
                using var client = await TestClient.ConnectAsync(gateway.WsUri);
                for (var attempt = 0; attempt < 5; attempt++)
                    await client.AuthenticateAsync("admin", "not-the-password");
                var locked = await client.AuthenticateAsync("admin", TestHost.AdminPassword);
                Assert.That(locked.GetProperty("Locked").GetBoolean(), Is.True, locked.ToString());

                if (TestProvider.IsPostgres)
                {
                    // PostgreSQL has no file to lock: the command writes beside the running gateway, whose cache the
                    // commit's notice empties, so admin logs in on the running gateway at once.
                    var live = await GatewayCommand.AdminAsync(database, ["unlock", "admin"]);
                    Assert.That(live.ExitCode, Is.Zero, live.ToString());
                    await AssertLastAuditAsync(database, "admin unlock", "{\"UserName\":\"admin\"}");
                    using var unlockedLive = await TestClient.ConnectAsync(gateway.WsUri);
                    await unlockedLive.LoginAsync("admin", TestHost.AdminPassword);
                    return;
                }
                var refused = await GatewayCommand.AdminAsync(database, ["unlock", "admin"]);

                Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
                Assert.That(refused.ErrorLines, Is.EqualTo(new[] { $"database {database} is in use by another gateway (pid {gateway.Id})" }), refused.ToString());
                gateway.Signal(HostProcess.SigTerm);
                Assert.That(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.Zero, gateway.Output);
            }

            var unlocked = await GatewayCommand.AdminAsync(database, ["unlock", "admin"]);

            Assert.That(unlocked.ExitCode, Is.Zero, unlocked.ToString());
            Assert.That(unlocked.Stdout.Trim(), Is.EqualTo("Unlocked 'admin' (UserId 1)."));
            await AssertLastAuditAsync(database, "admin unlock", "{\"UserName\":\"admin\"}");
            await using var again = await HostProcess.StartAsync(dir.FullName, environment);
            using var admin = await TestClient.ConnectAsync(again.WsUri);
            await admin.LoginAsync("admin", TestHost.AdminPassword);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

#if POSTGRES
    [Test]
    [CancelAfter(120_000)]
    public async Task Backup_OnPostgres_ExitsWith1NamingPgDumpAndWritesNoFile(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        await host.StopAsync();
        var target = Path.Combine(host.DataDir.FullName, "copy.db");

        var refused = await GatewayCommand.AdminAsync(host.DatabasePath(), ["backup", target]);

        Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
        Assert.That(refused.ErrorLines, Has.Count.EqualTo(1), refused.ToString());
        Assert.That(refused.ErrorLines[0], Does.Contain("pg_dump"), refused.ToString());
        Assert.That(target, Does.Not.Exist);
    }
#endif

#if !POSTGRES
    // SQLite file specific (a copy of the file, a legacy file, a corrupted page).
    [Test]
    [CancelAfter(240_000)]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Backup_WhileEightSocketsWrite_CopyPassesIntegrityCheckAndHoldsEveryWriteAcknowledgedBeforeIt(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-backup-");
        try
        {
            var database = Path.Combine(dir.FullName, "gateway.db");
            var copy = Path.Combine(dir.FullName, "copy.db");
            await using var gateway = await HostProcess.StartAsync(dir.FullName, new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword });
            var acknowledged = new System.Collections.Concurrent.ConcurrentQueue<string>();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var writers = new List<Task>();
            for (var socket = 0; socket < 8; socket++)
            {
                var client = await TestClient.ConnectAsync(gateway.WsUri);
                await client.LoginAsync("admin", TestHost.AdminPassword);
                writers.Add(WriteUntilStoppedAsync(client, socket, acknowledged, stop.Token));
            }
            await Poll.UntilAsync(() => acknowledged.Count >= 80, TimeSpan.FromSeconds(60), "the sockets did not write", ct);

            var before = acknowledged.ToArray();
            var result = await GatewayCommand.AdminAsync(database, ["backup", copy]);
            var afterBackup = acknowledged.Count;
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Stdout.Trim(), Does.StartWith($"Backed up {database} to {copy} ("));
            Assert.That(afterBackup, Is.GreaterThan(before.Length), "the writes stopped during the backup");
            Assert.That(File.GetUnixFileMode(copy), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            await using var db = await DatabaseProbe.OpenAsync(copy);
            Assert.That(await db.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
            var copied = (await db.QueryAsync<string>("SELECT AccountName FROM accounts")).ToHashSet();
            Assert.That(before.Where(name => !copied.Contains(name)), Is.Empty, "writes acknowledged before the backup began are missing from it");
            await AssertLastAuditAsync(database, "admin backup", JsonSerializer.Serialize(new { File = copy }));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
#endif

    [Test]
    [CancelAfter(120_000)]
    public async Task ResetPassword_PasswordFromVariable_NewPasswordLogsInOldOneAndOldSessionsDoNot(CancellationToken ct)
    {
        const string newPassword = "a-new-password-1";
        await using var host = await TestHost.StartAsync();
        string token;
        using (var admin = await host.ConnectAsync())
            token = await admin.LoginAsync("admin", TestHost.AdminPassword);
        await host.StopAsync();

        var result = await GatewayCommand.AdminAsync(host.DatabasePath(), ["reset-password", "admin"], new Dictionary<string, string> { [NewPasswordVariable] = newPassword });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout.Trim(), Is.EqualTo("Reset the password of 'admin' (UserId 1) and ended its sessions."));
        await AssertLastAuditAsync(host.DatabasePath(), "admin reset-password", "{\"UserName\":\"admin\"}");
        await using var again = await host.RestartAsync();
        using var client = await again.ConnectAsync();
        var old = await client.AuthenticateAsync("admin", TestHost.AdminPassword);
        Assert.That(old.GetProperty("Authenticated").GetBoolean(), Is.False, "the old password still logs in");
        var resumed = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
        Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, "a session of the old password resumed");
        await client.LoginAsync("admin", newPassword);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task AddOperator_NewUserWithPasswordOnStdinAndExistingUser_BothHoldOperator(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        using (var admin = await host.ConnectAdminAsync())
            await admin.CreateUserAsync("carol", "carol-password-1");
        await host.StopAsync();

        var created = await GatewayCommand.AdminAsync(host.DatabasePath(), ["add-operator", "ops"], stdin: "ops-password-1\n");
        var granted = await GatewayCommand.AdminAsync(host.DatabasePath(), ["add-operator", "carol"]);
        var again = await GatewayCommand.AdminAsync(host.DatabasePath(), ["add-operator", "ops"]);

        Assert.That(created.ExitCode, Is.Zero, created.ToString());
        Assert.That(created.Stdout.Trim(), Is.EqualTo("Created 'ops' (UserId 3) with the permission Operator."));
        Assert.That(granted.Stdout.Trim(), Is.EqualTo("Granted Operator to 'carol' (UserId 2)."), granted.ToString());
        Assert.That(again.Stdout.Trim(), Is.EqualTo("'ops' (UserId 3) already holds Operator."), again.ToString());
        await using var restarted = await host.RestartAsync();
        foreach (var (user, password) in new[] { ("ops", "ops-password-1"), ("carol", "carol-password-1") })
        {
            using var client = await restarted.ConnectAsync();
            await client.LoginAsync(user, password);
            Assert.That((await client.CallAsync("GetUserPermissions")).Payload.EnumerateArray().Select(p => p.GetString()), Does.Contain("Operator"), user);
        }
        var audit = await restarted.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE UserId = 0 AND Function = 'admin add-operator' AND Payload NOT LIKE '%ops-password%'");
        Assert.That(audit, Is.EqualTo(3));
    }

#if !POSTGRES
    // SQLite file specific (a copy of the file, a legacy file, a corrupted page).
    [Test]
    public async Task Migrate_DatabaseAtSchemaVersion1_OtherCommandsRefuseThenMigrateBringsItUpToDate()
    {
        var dir = Directory.CreateTempSubdirectory("gateway-migrate-");
        try
        {
            var database = Path.Combine(dir.FullName, "gateway.db");
            await using (var db = await DatabaseProbe.OpenAsync(database))
            {
                await db.ExecuteAsync(Migrator.Migrations[0].Script);
                await db.ExecuteAsync("PRAGMA user_version = 1");
            }

            var refused = await GatewayCommand.AdminAsync(database, ["unlock", "admin"]);
            var migrated = await GatewayCommand.AdminAsync(database, ["migrate"]);
            var again = await GatewayCommand.AdminAsync(database, ["migrate"]);

            Assert.That(refused.ExitCode, Is.EqualTo(1), refused.ToString());
            Assert.That(refused.ErrorLines, Is.EqualTo(new[] { $"database {database} is at schema version 1; this gateway's is {Migrator.Latest}: run admin migrate first, with the gateway stopped" }));
            Assert.That(migrated.ExitCode, Is.Zero, migrated.ToString());
            Assert.That(migrated.Stdout.Trim(), Is.EqualTo($"Migrated {database} from schema version 1 to {Migrator.Latest}."));
            Assert.That(again.Stdout.Trim(), Is.EqualTo($"{database} is at schema version {Migrator.Latest}; nothing to apply."), again.ToString());
            await using var check = await DatabaseProbe.OpenAsync(database);
            Assert.That(await check.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.EqualTo(Migrator.Latest));
            Assert.That(await check.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE UserId = 0 AND Function = 'admin migrate'"), Is.EqualTo(2));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
#endif

#if !POSTGRES
    // SQLite file specific (a copy of the file, a legacy file, a corrupted page).
    [Test]
    [CancelAfter(120_000)]
    public async Task VerifyAudit_HealthyThenCorruptedDatabase_Exits0ThenExits1WithTheProblem(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        using (var admin = await host.ConnectAdminAsync())
        {
            for (var account = 0; account < 20; account++)
                await admin.CallAsync("AddAccount", $"{{\"AccountName\":\"verify-{account}\"}}");
        }
        await host.StopAsync();

        var healthy = await GatewayCommand.AdminAsync(host.DatabasePath(), ["verify-audit"]);
        await CorruptIndexAsync(host.DatabasePath(), "audit_log_by_function");
        var broken = await GatewayCommand.AdminAsync(host.DatabasePath(), ["verify-audit"]);

        Assert.That(healthy.ExitCode, Is.Zero, healthy.ToString());
        Assert.That(healthy.Stdout.Trim(), Is.EqualTo($"Verified {host.DatabasePath()}: no problem found."));
        Assert.That(broken.ExitCode, Is.EqualTo(1), broken.ToString());
        Assert.That(broken.ErrorLines, Has.Count.EqualTo(1), broken.ToString());
        Assert.That(broken.ErrorLines[0], Does.StartWith($"database {host.DatabasePath()} fails verification: "));
    }
#endif

    [TestCase(new string[0], "admin needs a command")]
    [TestCase(new[] { "nope" }, "admin has no command 'nope'")]
    [TestCase(new[] { "unlock" }, "admin unlock takes one operand, <user>")]
    [TestCase(new[] { "verify-audit", "extra" }, "admin verify-audit takes no operand")]
    public async Task Admin_Misused_ExitsWith2AndTheUsage(string[] args, string problem)
    {
        var result = await GatewayCommand.RunAsync(Path.GetTempPath(), ["admin", .. args]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.ErrorLines[0], Is.EqualTo(problem));
        Assert.That(result.ErrorLines[1], Does.StartWith("usage: "));
    }

    private static async Task WriteUntilStoppedAsync(TestClient client, int socket, System.Collections.Concurrent.ConcurrentQueue<string> acknowledged, CancellationToken stop)
    {
        using (client)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var name = $"backup-{socket}-{n}";
                var reply = await client.CallAsync("AddAccount", JsonSerializer.Serialize(new { AccountName = name }));
                Assert.That(reply.Payload.GetProperty("Success").GetBoolean(), Is.True, reply.O);
                acknowledged.Enqueue(name);
            }
        }
    }

    private static async Task AssertLastAuditAsync(string database, string function, string payload)
    {
        await using var db = await DatabaseProbe.OpenAsync(database);
        var (userId, recorded, stored) = await db.QuerySingleAsync<(long, string, string)>(
            "SELECT UserId, Function, Payload FROM audit_log WHERE Function LIKE 'admin %' ORDER BY Id DESC LIMIT 1");
        Assert.That((userId, recorded, stored), Is.EqualTo((0L, function, payload)));
    }

    // Overwrites the root page of an index with garbage, after folding the WAL into the file; the schema (page 1) stays readable.
    private static async Task CorruptIndexAsync(string database, string index)
    {
        long page, pageSize;
        await using (var db = await DatabaseProbe.OpenAsync(database))
        {
            await db.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            page = await db.ExecuteScalarAsync<long>("SELECT rootpage FROM sqlite_schema WHERE name = @index", new { index });
            pageSize = await db.ExecuteScalarAsync<long>("PRAGMA page_size");
        }
        await using var file = new FileStream(database, FileMode.Open, FileAccess.Write);
        file.Position = (page - 1) * pageSize;
        await file.WriteAsync(Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray());
    }
}
