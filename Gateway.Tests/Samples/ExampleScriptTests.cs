using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

/// <summary>The scripts in samples/scripts, run by the console client against a fresh gateway, in the order an operator would.</summary>
[TestFixture]
public sealed class ExampleScriptTests : HostFixture
{
    [Test]
    public async Task ExampleScripts_OnboardOffboardAudit_RunGreenAndLeaveTheExpectedState()
    {
        var environment = ConsoleProcess.AsAdmin(("USER_NAME", "alice"), ("USER_EMAIL", "alice@example.com"), ("USER_PASSWORD", "a long password"),
            ("ACCOUNT_HANDLE", "alice-main"), ("AFFILIATE_TAG", "alice_ref"));

        var onboard = await ConsoleProcess.RunAsync(Host, ["run", Script("onboard-user.gw")], environment);
        Assert.That(onboard.ExitCode, Is.Zero, onboard.ToString());
        Assert.That(onboard.Stdout, Does.EndWith($"onboard-user.gw: 9 calls, all succeeded{Environment.NewLine}"));
        using var admin = await Host.ConnectAdminAsync();
        var userId = (await admin.CallAsync("GetUserInfo", "{\"UserName\":\"alice\"}")).Payload.GetProperty("UserId").GetInt32();
        Assert.That((await admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[\"AccountReadOnly\",\"Deposit\",\"Trading\",\"Withdraw\"]"));
        Assert.That((await admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).Payload.GetArrayLength(), Is.EqualTo(1));

        var offboard = await ConsoleProcess.RunAsync(Host, ["run", Script("offboard-user.gw")], environment);
        Assert.That(offboard.ExitCode, Is.Zero, offboard.ToString());
        Assert.That((await admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[]"));
        Assert.That((await admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[\"AccountReadOnly\",\"Deposit\"]"));

        var audit = await ConsoleProcess.RunAsync(Host, ["run", Script("audit-report.gw")], environment);
        Assert.That(audit.ExitCode, Is.Zero, audit.ToString());
        Assert.That(audit.Stdout, Does.Contain($"revoked Trading from user {userId}"));
        Assert.That(audit.Stdout, Does.Contain($"\"TargetUserId\": {userId}"), "the report lists the changes made to the user");
        Assert.That(audit.Stdout, Does.Contain("\"Head\": \""), "the report ends with the chain's check");
        Assert.That(audit.Stdout, Does.EndWith($"audit-report.gw: 7 calls, all succeeded{Environment.NewLine}"));
    }

    private static string Script(string name) => Repository.File("samples", "scripts", name);
}
