using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

/// <summary>The console client's <c>--dry-run</c> and <c>--request-id-prefix</c>.</summary>
[TestFixture]
public sealed class ConsoleSafetyTests : HostFixture
{
    [Test]
    public async Task Run_DryRun_EveryWriteAnswersDryRunAndNothingChanges()
    {
        var userName = AccountSteps.Unique("cdry");
        var before = await Host.SnapshotExceptAsync("sessions", "audit_log");

        var result = await ConsoleProcess.RunAsync(Host, ["--dry-run", "--raw", "run", "-"], ConsoleProcess.AsAdmin(),
            $"CreateUser {{\"UserInfo\":{{\"UserName\":\"{userName}\",\"Password\":\"password-123\"}}}}\nGetUserInfo {{\"UserId\":1}}\n");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Does.Contain("\\\"DryRun\\\":true"), "the write was a dry run");
        Assert.That(lines[1], Does.Not.Contain("DryRun"), "a read is sent as it is");
        Assert.That(await Host.SnapshotExceptAsync("sessions", "audit_log"), Is.EqualTo(before));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Payload LIKE '%' || @userName || '%'", new { userName }), Is.Zero);
    }

    [Test]
    public async Task Call_RequestIdPrefixTwice_SecondAnswersTheFirstReplyAndCreatesNothing()
    {
        var userName = AccountSteps.Unique("conce");
        var prefix = "cc-" + Guid.NewGuid().ToString("N")[..8] + "-";
        string[] args = ["--request-id-prefix", prefix, "call", "CreateUser", $"{{\"UserInfo\":{{\"UserName\":\"{userName}\",\"Password\":\"password-123\"}}}}"];

        var first = await ConsoleProcess.RunAsync(Host, args, ConsoleProcess.AsAdmin());
        var second = await ConsoleProcess.RunAsync(Host, args, ConsoleProcess.AsAdmin());

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Stdout, Is.EqualTo(first.Stdout));
        Assert.That(JsonDocument.Parse(first.Stdout).RootElement.GetProperty("UserId").GetInt32(), Is.Positive);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM client_requests WHERE RequestId = @id", new { id = prefix + "1" }), Is.EqualTo(1));
    }

    [Test]
    public async Task Options_RequestIdPrefixTooLong_Exits2()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["--request-id-prefix", new string('p', 59), "call", "Ping"]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("--request-id-prefix must be 1 to 58 printable ASCII characters"));
    }
}
