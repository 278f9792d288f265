using System.Text.Json;
using Dapper;
using Gateway.Tests.Support;

namespace Gateway.Tests.Safety;

/// <summary>protocol.md 9.1: a crash after the commit and before the reply loses nothing; the repeat after the restart answers the stored reply.</summary>
[TestFixture]
public sealed class ClientRequestIdCrashTests
{
    private const string AdminPassword = "crash-admin-password";

    [Test]
    [CancelAfter(120_000)]
    public async Task CreateUser_KilledAfterCommitBeforeReply_RepeatAfterRestartAnswersTheStoredReply(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-once-crash-");
        try
        {
            var database = Path.Combine(dir.FullName, "gateway.db");
            var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = AdminPassword };
            var id = "crash-" + Guid.NewGuid().ToString("N");
            var payload = JsonSerializer.Serialize(new { UserInfo = new { UserName = "survivor", Password = "password-123" }, ClientRequestId = id });

            await using (var host = await HostProcess.StartAsync(dir.FullName, environment, $"--Gateway:DatabasePath={database}", $"--Gateway:Safety:CrashAfterCommitOf={id}"))
            {
                using var admin = await TestClient.ConnectAsync(host.WsUri);
                await admin.LoginAsync("admin", AdminPassword);
                var call = admin.CallAsync("CreateUser", payload);
                Assert.That(await host.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo(128 + HostProcess.SigKill), "the hook kills the process");
                Assert.That(async () => await call, Throws.Exception, "the reply never left the process");
            }

            await using var restarted = await HostProcess.StartAsync(dir.FullName, environment, $"--Gateway:DatabasePath={database}");
            using var again = await TestClient.ConnectAsync(restarted.WsUri);
            await again.LoginAsync("admin", AdminPassword);
            var repeat = await again.CallAsync("CreateUser", payload);
            var secondRepeat = await again.CallAsync("CreateUser", payload);

            await using var db = await DatabaseProbe.OpenAsync(database);
            var userId = await db.ExecuteScalarAsync<long>("SELECT UserId FROM users WHERE UserName = 'survivor'");
            Assert.That(repeat.O, Is.EqualTo($"{{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"UserId\":{userId}}}"),
                "the repeat answers the reply committed with the user, not 101 for a taken name");
            Assert.That(secondRepeat.O, Is.EqualTo(repeat.O));
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = 'survivor'"), Is.EqualTo(1));
            Assert.That(await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Function = 'CreateUser'"), Is.EqualTo(1));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
