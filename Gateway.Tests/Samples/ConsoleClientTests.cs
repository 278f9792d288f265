using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

[TestFixture]
public sealed class ConsoleClientTests : HostFixture
{
    [Test]
    public async Task Call_Ping_PrintsPongAndExits0()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["call", "Ping"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Is.EqualTo($"{{{Environment.NewLine}  \"msg\": \"PONG\"{Environment.NewLine}}}{Environment.NewLine}"));
        Assert.That(result.Stderr, Is.Empty);
    }

    [Test]
    public async Task Call_AddUserAccount_Exits0AndLinksTheUser()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("cc-" + Guid.NewGuid().ToString("N")[..8]);
        var accountId = (await admin.CallAsync("AddAccount", "{\"AccountName\":\"console\"}")).Payload.GetProperty("Id").GetInt32();

        var result = await ConsoleProcess.RunAsync(Host, ["--user", "admin", "--password", TestHost.AdminPassword,
            "call", "AddUserAccount", $"{{\"accountId\":{accountId},\"userId\":{userId}}}"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("result").GetBoolean(), Is.True);
        Assert.That((await admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo($"[{accountId}]"));
    }

    [Test]
    public async Task Call_WithApiKey_LogsInBySignature()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("cc-key-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await admin.AddKeyAsync(userId, "Trading");

        var result = await ConsoleProcess.RunAsync(Host, ["--api-key", key.Key, "--secret", key.Secret, "--user-id", userId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "call", "GetUserInfo"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
    }

    [Test]
    public async Task Call_FailingCall_Exits1WithErrorcodeOnStderr()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["call", "GetUserInfo", "{\"UserId\":987654}"], ConsoleProcess.AsAdmin());

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("error: GetUserInfo failed: errorcode 104 Resource Not Found (UserId 987654 does not exist)"));
    }

    [Test]
    public async Task Call_UnknownFunction_Exits1()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["--raw", "call", "NoSuchCall"]);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout.Trim(), Is.EqualTo("{\"m\":5,\"i\":2,\"n\":\"NoSuchCall\",\"o\":\"{\\\"result\\\":false,\\\"errormsg\\\":\\\"Operation Not Supported\\\",\\\"errorcode\\\":106,\\\"detail\\\":\\\"Endpoint Not Found: NoSuchCall\\\"}\"}"));
        Assert.That(result.Stderr, Does.Contain("errorcode 106"));
    }

    [Test]
    public async Task Call_NoGatewayListening_Exits2NamingTheUrl()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["--url", "ws://127.0.0.1:9/WSGateway", "call", "Ping"]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("error: cannot connect to ws://127.0.0.1:9/WSGateway: Connection refused"));
    }

    [Test]
    public async Task Call_BadUsage_Exits2WithUsage()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["call"]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("usage: ConsoleClient"));
    }

    [Test]
    public async Task Run_ScriptWithErrorMidway_StopsThereAndNamesTheLine()
    {
        var name = "script-" + Guid.NewGuid().ToString("N")[..8];
        var script = $$$"""
            # creates a user, then fails, then would create another
            CreateUser {"UserInfo":{"UserName":"{{{name}}}","Password":"password-123"}} -> UID=UserId
            GetUserPermissions {"UserId":${UID}}
            GetUserInfo {"UserId":987654}
            CreateUser {"UserInfo":{"UserName":"{{{name}}}-2","Password":"password-123"}}
            """;

        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], ConsoleProcess.AsAdmin(), script);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.EndWith($"stdin: stopped at line 4 after 3 calls (2 succeeded, 1 failed){Environment.NewLine}"));
        Assert.That(result.Stderr, Does.Contain("line 4: GetUserInfo failed: errorcode 104"));
        using var admin = await Host.ConnectAdminAsync();
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserName\":\"{name}\"}}")).ErrorCode(), Is.Zero);
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserName\":\"{name}-2\"}}")).ErrorCode(), Is.EqualTo(104));
    }

    [Test]
    public async Task Run_KeepGoing_RunsEveryLineAndCountsFailures()
    {
        var name = "keep-" + Guid.NewGuid().ToString("N")[..8];
        var script = $$$"""
            GetUserInfo {"UserId":987654}
            CreateUser {"UserInfo":{"UserName":"{{{name}}}","Password":"password-123"}}
            Ping
            """;

        var result = await ConsoleProcess.RunAsync(Host, ["--keep-going", "run", "-"], ConsoleProcess.AsAdmin(), script);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.EndWith($"stdin: 3 calls, 2 succeeded, 1 failed (first at line 1){Environment.NewLine}"));
        using var admin = await Host.ConnectAdminAsync();
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserName\":\"{name}\"}}")).ErrorCode(), Is.Zero);
    }

    [Test]
    public async Task Run_UnsetVariable_Exits2BeforeAnyCallNamingTheVariableAndLine()
    {
        var name = "unset-" + Guid.NewGuid().ToString("N")[..8];
        var script = $$$"""
            CreateUser {"UserInfo":{"UserName":"{{{name}}}","Password":"password-123"}}
            GetUserInfo {"UserId":${NOT_SET_ANYWHERE}}
            """;
        var auditBefore = await Audit.CountAsync(Host);

        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], ConsoleProcess.AsAdmin(), script);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("error: stdin line 2: ${NOT_SET_ANYWHERE} is not set (not in the environment, not captured by an earlier line); nothing was sent"));
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(auditBefore), "not even the login was sent");
        using var admin = await Host.ConnectAdminAsync();
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserName\":\"{name}\"}}")).ErrorCode(), Is.EqualTo(104));
    }

    [Test]
    public async Task Run_VariableUsedBeforeTheLineThatCapturesIt_Exits2NamingThatLine()
    {
        var name = "late-" + Guid.NewGuid().ToString("N")[..8];
        var script = $$$"""
            Ping
            GetUserPermissions {"UserId":${LATE_UID}}
            CreateUser {"UserInfo":{"UserName":"{{{name}}}","Password":"password-123"}} -> LATE_UID=UserId
            """;

        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], ConsoleProcess.AsAdmin(), script);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.StartWith("error: stdin line 2: ${LATE_UID} is not set"));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task Run_MalformedCapture_Exits2BeforeAnyCall()
    {
        var auditBefore = await Audit.CountAsync(Host);

        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], ConsoleProcess.AsAdmin(), "Ping\nGetUserInfo {} -> UID\n");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("error: stdin line 2: 'UID' after -> must be VAR=Key; nothing was sent"));
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(auditBefore), "not even the login was sent");
    }

    [Test]
    public async Task Run_Script_LabelsEachReplyWithItsLineAndFunction()
    {
        var script = """
            Ping
            # a comment, then a blank line

            GetUserPermissions {}
            """;

        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], ConsoleProcess.AsAdmin(), script);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var nl = Environment.NewLine;
        Assert.That(result.Stdout, Is.EqualTo($"line 1 Ping: {{{nl}  \"msg\": \"PONG\"{nl}}}{nl}line 4 GetUserPermissions: [{nl}  \"Operator\"{nl}]{nl}stdin: 2 calls, all succeeded{nl}"));
    }

    [Test]
    public async Task Run_Raw_PrintsWholeFramesWithoutLabels()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["--raw", "run", "-"], stdin: "Ping\n");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Is.EqualTo($"{{\"m\":1,\"i\":2,\"n\":\"Ping\",\"o\":\"{{\\\"msg\\\":\\\"PONG\\\"}}\"}}{Environment.NewLine}stdin: 1 call, all succeeded{Environment.NewLine}"));
    }

    [TestCase("Ping\n", "stdin: 1 call, all succeeded")]
    [TestCase("Ping\nPing\n", "stdin: 2 calls, all succeeded")]
    [TestCase("Nope\n", "stdin: stopped at line 1 after 1 call (0 succeeded, 1 failed)")]
    [TestCase("Ping\nNope\n", "stdin: stopped at line 2 after 2 calls (1 succeeded, 1 failed)")]
    public async Task Run_Summary_CountsCallsInSingularOrPlural(string script, string summary)
    {
        var result = await ConsoleProcess.RunAsync(Host, ["run", "-"], stdin: script);

        Assert.That(result.Stdout, Does.EndWith(summary + Environment.NewLine), result.ToString());
    }

    [Test]
    public async Task Run_KeepGoingWithOneCall_SaysOneCall()
    {
        var result = await ConsoleProcess.RunAsync(Host, ["--keep-going", "run", "-"], stdin: "Nope\n");

        Assert.That(result.Stdout, Does.EndWith($"stdin: 1 call, 0 succeeded, 1 failed (first at line 1){Environment.NewLine}"), result.ToString());
    }

    [TestCase("call")]
    [TestCase("run")]
    [TestCase("prompt")]
    public async Task Exit_LoggedIn_SendsLogOutSoTheSessionEnds(string mode)
    {
        using var admin = await Host.ConnectAdminAsync();
        var name = "bye-" + Guid.NewGuid().ToString("N")[..8];
        var userId = await admin.CreateUserAsync(name);
        var environment = new Dictionary<string, string> { ["GATEWAY_USER"] = name, ["GATEWAY_PASSWORD"] = "password-123" };
        var (args, stdin) = mode switch
        {
            "call" => (new[] { "call", "Ping" }, (string?)null),
            "run" => (["run", "-"], "Ping\n"),
            _ => ([], "Ping\nexit\n"),
        };

        var result = await ConsoleProcess.RunAsync(Host, args, environment, stdin);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE UserId = @userId AND Function = 'AuthenticateUser'", new { userId }), Is.EqualTo(1));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE UserId = @userId AND Function = 'LogOut'", new { userId }), Is.EqualTo(1));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE UserId = @userId", new { userId }), Is.Zero);
    }

    [Test]
    public async Task Exit_NotLoggedIn_SendsNoLogOut()
    {
        var before = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Function = 'LogOut'");

        var result = await ConsoleProcess.RunAsync(Host, ["call", "Ping"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Function = 'LogOut'"), Is.EqualTo(before));
    }

    [Test]
    public async Task Interactive_HelpAndACall_AnswerAndExit0()
    {
        var result = await ConsoleProcess.RunAsync(Host, [], ConsoleProcess.AsAdmin(), "help RemoveUserAccount\nPing\nexit\n");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("RemoveUserAccount {\"accountId\" or \"accountHandle\", \"userId\" or \"userName\"}"));
        Assert.That(result.Stdout, Does.Contain("\"msg\": \"PONG\""));
    }

    [Test]
    public async Task Interactive_HelpOfEveryCatalogFunction_ListsItsKeys()
    {
        var functions = Gateway.Core.Handlers.HandlerCatalog.Create().Declared.Select(d => d.Name).ToList();
        var input = string.Concat(functions.Select(f => $"help {f}\n")) + "exit\n";

        var result = await ConsoleProcess.RunAsync(Host, [], ConsoleProcess.AsAdmin(), input);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Not.Contain("no help"), "every call of the catalog has a line in FunctionHelp.cs");
        foreach (var function in functions)
            Assert.That(result.Stdout, Does.Contain($"{function} {{").Or.Contain($"{function} \""), function);
    }

    [Test, CancelAfter(60_000)]
    public async Task Interactive_CtrlCAtThePrompt_ExitsCleanlyWith130(CancellationToken ct)
    {
        using var process = ConsoleProcess.Start(Host, [], ConsoleProcess.AsAdmin());
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var seen = new System.Text.StringBuilder();
        var buffer = new char[256];
        while (!seen.ToString().Contains("gateway> ", StringComparison.Ordinal))
        {
            var read = await process.StandardOutput.ReadAsync(buffer, ct);
            Assert.That(read, Is.Positive, $"the prompt never came: {seen}");
            seen.Append(buffer, 0, read);
        }

        PosixSignals.Send(process.Id, PosixSignals.SigInt);

        var result = await ConsoleProcess.FinishAsync(process, process.StandardOutput.ReadToEndAsync(ct), stderr);
        Assert.That(result.ExitCode, Is.EqualTo(130), result.ToString());
        Assert.That(result.Stderr.Trim(), Is.EqualTo("cancelled"));
    }
}
