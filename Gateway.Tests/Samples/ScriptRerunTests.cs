using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

/// <summary>
/// The example scripts stopped halfway and run again with the same <c>--request-id-prefix</c>: the second run answers
/// the lines already done from their stored replies and completes the rest, leaving no duplicate row.
/// </summary>
[TestFixture]
public sealed class ScriptRerunTests : HostFixture
{
    private static readonly long[] OnboardAudit = [1, 1, 1, 2, 1];
    private static readonly long[] OffboardAudit = [1, 2];

    private DirectoryInfo _dir = null!;

    [OneTimeSetUp]
    public void MakeFolder() => _dir = Directory.CreateTempSubdirectory("gateway-rerun-");

    [OneTimeTearDown]
    public void RemoveFolder() => _dir.Delete(recursive: true);

    [Test]
    public async Task OnboardUser_StoppedAfterItsThirdCallThenRunAgain_CompletesWithEveryRowOnce()
    {
        var environment = For("bob");
        var half = await RunHalfAsync("onboard-user.gw", "AddUserAccount", "onboard-bob-", environment);
        Assert.That(half.Stdout, Does.EndWith($"onboard-user.gw: 3 calls, all succeeded{Environment.NewLine}"), half.ToString());

        var again = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", "onboard-bob-", "run", Script("onboard-user.gw")], environment);

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Stdout, Does.EndWith($"onboard-user.gw: 9 calls, all succeeded{Environment.NewLine}"));
        Assert.That(await RowsAsync("SELECT COUNT(*) FROM users WHERE UserName = 'bob'"), Is.EqualTo(1));
        Assert.That(await RowsAsync("SELECT COUNT(*) FROM accounts WHERE AccountHandle = 'bob-main'"), Is.EqualTo(1));
        Assert.That(await AuditedAsync("bob", "CreateUser", "AddAccount", "AddUserAccount", "AddUserPermission", "AddUserAffiliateTag"), Is.EqualTo(OnboardAudit));

        var withoutPrefix = await ConsoleProcess.RunAsync(Host, ["run", Script("onboard-user.gw")], environment);
        Assert.That(withoutPrefix.ExitCode, Is.EqualTo(1), "without the prefix the run starts over and the user name is taken");
        Assert.That(withoutPrefix.Stderr, Does.Contain("UserName is already used"));
    }

    [Test]
    public async Task OffboardUser_StoppedAfterItsUnlinkThenRunAgain_CompletesWithEveryRowOnce()
    {
        var environment = For("carol");
        var onboard = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", "onboard-carol-", "run", Script("onboard-user.gw")], environment);
        Assert.That(onboard.ExitCode, Is.Zero, onboard.ToString());
        var half = await RunHalfAsync("offboard-user.gw", "RemoveUserAccount", "offboard-carol-", environment);
        Assert.That(half.Stdout, Does.EndWith($"offboard-user.gw: 2 calls, all succeeded{Environment.NewLine}"), half.ToString());

        var again = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", "offboard-carol-", "run", Script("offboard-user.gw")], environment);

        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Stdout, Does.EndWith($"offboard-user.gw: 6 calls, all succeeded{Environment.NewLine}"));
        Assert.That(await AuditedAsync("carol", "RemoveUserAccount", "RevokeUserPermission"), Is.EqualTo(OffboardAudit));
    }

    [Test]
    public async Task AuditReport_StoppedHalfwayThenRunAgain_ReadsOnlyAndCompletes()
    {
        const string Writes = "SELECT COUNT(*) FROM audit_log WHERE Function NOT IN ('AuthenticateUser', 'LogOut')";
        var environment = For("admin");
        var writesBefore = await RowsAsync(Writes);
        await RunHalfAsync("audit-report.gw", "GetAuditLog", "audit-admin-", environment);

        var again = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", "audit-admin-", "run", Script("audit-report.gw")], environment);

        Assert.That(again.Stdout, Does.EndWith($"audit-report.gw: 7 calls, all succeeded{Environment.NewLine}"), again.ToString());
        Assert.That(await RowsAsync("SELECT COUNT(*) FROM client_requests WHERE RequestId LIKE 'audit-admin-%'"), Is.Zero, "reads take no id");
        Assert.That(await RowsAsync(Writes), Is.EqualTo(writesBefore));
    }

    private static Dictionary<string, string> For(string user) => ConsoleProcess.AsAdmin(("USER_NAME", user), ("USER_EMAIL", $"{user}@example.com"),
        ("USER_PASSWORD", "a long password"), ("ACCOUNT_HANDLE", $"{user}-main"), ("AFFILIATE_TAG", $"{user}_ref"));

    // The script's lines up to its first `stopAt` call (the unlink and link calls included), with the same line numbers:
    // a run that stopped there.
    private async Task<ConsoleResult> RunHalfAsync(string script, string stopAt, string prefix, Dictionary<string, string> environment)
    {
        var lines = await File.ReadAllLinesAsync(Script(script));
        var stop = Array.FindIndex(lines, l => l.StartsWith(stopAt + " ", StringComparison.Ordinal));
        Assert.That(stop, Is.Positive, $"{script} has no {stopAt} line");
        if (stopAt is "AddUserAccount" or "RemoveUserAccount")
            stop++;
        var half = Path.Combine(_dir.FullName, prefix + script);
        await File.WriteAllLinesAsync(half, lines[..stop]);
        var result = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", prefix, "run", half], environment);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return result;
    }

    private Task<long> RowsAsync(string sql) => Host.ScalarAsync<long>(sql);

    // How many audit rows of each function name the user in their payload, by name, handle or UserId.
    private async Task<long[]> AuditedAsync(string user, params string[] functions)
    {
        const string Sql = """
            SELECT COUNT(*) FROM audit_log WHERE Function = @Function
            AND (Payload LIKE '%"' || @User || '"%' OR Payload LIKE '%"' || @User || '-main"%' OR Payload LIKE '%serId":' || @UserId || '%')
            """;
        var userId = await Host.ScalarAsync<long>("SELECT UserId FROM users WHERE UserName = @User", new { User = user });
        var counts = new List<long>();
        foreach (var function in functions)
            counts.Add(await Host.ScalarAsync<long>(Sql, new { Function = function, User = user, UserId = userId }));
        return [.. counts];
    }

    private static string Script(string name) => Repository.File("samples", "scripts", name);
}
