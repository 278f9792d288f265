using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Safety;

/// <summary>protocol.md 9.2: a dry run does everything but the commit, and answers what the real call answers plus DryRun:true.</summary>
[TestFixture]
public sealed class DryRunTests : AdminFixture
{
    protected override string[] Settings => WriteCallScenarios.HostSettings;

    private static readonly string[] LoginCalls = ["AuthenticateUser", "WebAuthenticateUser", "Authenticate2FA", "LogOut"];

    [Test]
    public async Task DryRun_EveryWriteCall_ChangesNothingAndAnswersTheRealReplyPlusDryRun(
        [ValueSource(typeof(WriteCallScenarios), nameof(WriteCallScenarios.Functions))] string function)
    {
        var payload = await WriteCallScenarios.PrepareAsync(function, Admin);
        var before = await Host.SnapshotAsync();

        var dry = await Admin.CallAsync(function, WriteCallScenarios.With(payload, "DryRun", true));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), "a dry run leaves every table as it was, the audit log included");
        var real = await Admin.CallAsync(function, payload);
        Assert.That(real.ErrorCode(), Is.Zero, real.O);
        Assert.That(await Host.SnapshotAsync(), Is.Not.EqualTo(before), "the real call changes something");
        // A key, its secret and a TOTP seed are new random values on every call; everything else must match exactly.
        Assert.That(WriteCallScenarios.Masked(dry.O), Is.EqualTo(WriteCallScenarios.Masked(WriteCallScenarios.With(real.O, "DryRun", true))));
    }

    [Test]
    public async Task DryRun_FailingCall_AnswersTheSameFailurePlusDryRun()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("dryfail"));
        var payload = $"{{\"accountId\":987654,\"userId\":{userId}}}";

        var dry = await Admin.CallAsync("AddUserAccount", WriteCallScenarios.With(payload, "DryRun", true));
        var real = await Admin.CallAsync("AddUserAccount", payload);

        Assert.That(real.O, Is.EqualTo(Std.Error(104, "accountId 987654 does not exist")));
        Assert.That(dry.O, Is.EqualTo(real.O[..^1] + ",\"DryRun\":true}"));
    }

    [Test]
    public async Task DryRun_NotAuthorized_AnswersTheRefusalPlusDryRun()
    {
        var (user, _) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var reply = await user.CallAsync("CreateUser", "{\"UserInfo\":{\"UserName\":\"nope-dry\",\"Password\":\"password-123\"},\"DryRun\":true}");

            Assert.That(reply.ErrorCode(), Is.EqualTo(20), reply.O);
            Assert.That(reply.Payload.GetProperty("DryRun").GetBoolean(), Is.True);
        }
    }

    [TestCase("AuthenticateUser", "{\"UserName\":\"admin\",\"Password\":\"x\",\"DryRun\":true}")]
    [TestCase("webauthenticateuser", "{\"UserName\":\"admin\",\"Password\":\"x\",\"DryRun\":true}")]
    [TestCase("Authenticate2FA", "{\"Code\":\"123456\",\"dryrun\":true}")]
    [TestCase("LOGOUT", "{\"DryRun\":true}")]
    public async Task DryRun_LoginCall_Answers100NamingTheCall(string function, string payload)
    {
        using var socket = await Host.ConnectAsync();
        var before = await Host.SnapshotAsync();

        var reply = await socket.CallAsync(function, payload);

        var canonical = LoginCalls.Single(n => n.Equals(function, StringComparison.OrdinalIgnoreCase));
        Assert.That(reply.O, Is.EqualTo(Std.Error(100, $"DryRun is not available for {canonical}")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task DryRun_ReadCall_IsIgnored()
    {
        var plain = await Admin.CallAsync("GetUserInfo", "{\"UserId\":1}");
        var dry = await Admin.CallAsync("GetUserInfo", "{\"UserId\":1,\"DryRun\":true}");

        Assert.That(dry.O, Is.EqualTo(plain.O));
    }

    [Test]
    public async Task DryRun_NotABoolean_Answers100()
    {
        var reply = await Admin.CallAsync("UnLockUser", "{\"UserId\":1,\"DryRun\":\"yes\"}");

        Assert.That(reply.O, Is.EqualTo(Std.Error(100, "DryRun must be true or false")));
    }

    [Test]
    public async Task DryRun_SetUserInfoDeactivating_EndsNoSessionUntilDoneForReal()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var dry = await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Active\":false,\"DryRun\":true}}");
            Assert.That(dry.Payload.GetProperty("Active").GetBoolean(), Is.False, dry.O);
            Assert.That((await user.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, "the user's session lives on after a dry run");

            await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Active\":false}}");
            var closed = await user.Closed.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.That(closed.CloseStatus, Is.EqualTo(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation));
        }
    }

    [Test]
    public async Task DryRun_RemoveUserAPIKey_KeepsTheKeysSessionOpen()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("drykey"));
        var key = await Admin.AddKeyAsync(userId, "Trading");
        using var keySocket = await Host.ConnectAsync();
        var login = await keySocket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        Assert.That(login.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login.O);

        var dry = await Admin.CallAsync("RemoveUserAPIKey", $"{{\"UserId\":{userId},\"APIKey\":\"{key.Key}\",\"DryRun\":true}}");

        Assert.That(dry.O, Is.EqualTo(Std.Ok[..^1] + ",\"DryRun\":true}"));
        Assert.That((await keySocket.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, "the key's session lives on");
    }

    [Test]
    public async Task DryRun_WithClientRequestId_StoresNothingSoTheRealCallRuns()
    {
        var userName = AccountSteps.Unique("dryonce");
        var id = "dry-" + Guid.NewGuid().ToString("N");
        var payload = JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Password = "password-123" }, ClientRequestId = id });

        var dry = await Admin.CallAsync("CreateUser", WriteCallScenarios.With(payload, "DryRun", true));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM client_requests WHERE RequestId = @id", new { id }), Is.Zero);
        var real = await Admin.CallAsync("CreateUser", payload);

        Assert.That(dry.Payload.GetProperty("DryRun").GetBoolean(), Is.True, dry.O);
        Assert.That(real.ErrorCode(), Is.Zero, real.O);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @userName", new { userName }), Is.EqualTo(1));
        var dryAgain = await Admin.CallAsync("CreateUser", WriteCallScenarios.With(payload, "DryRun", true));
        Assert.That(dryAgain.O, Is.EqualTo(Std.Error(101, $"ClientRequestId '{id}' was already used for a different request")[..^1] + ",\"DryRun\":true}"),
            "DryRun is part of the payload a repeat is compared by");
    }
}
