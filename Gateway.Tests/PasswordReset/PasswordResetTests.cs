using System.Net.WebSockets;
using Gateway.Tests.Events;
using Gateway.Tests.Support;

namespace Gateway.Tests.PasswordReset;

/// <summary>calls-next.md, password reset: each rule that states an errorcode, over the socket and over HTTP.</summary>
[TestFixture]
public sealed class PasswordResetTests : AdminFixture
{
    private static readonly Transport[] Transports = AnonymousCalls.Both;
    private readonly Mailbox _mailbox = Mailbox.Create();

    protected override string[] Settings =>
    [
        .. _mailbox.Settings, "--Gateway:PasswordReset:PerAddressPerHour=1000000", "--Gateway:PasswordReset:PerUserNamePerHour=1000000",
        "--Gateway:PasswordReset:CodeChecksPerAddressPerHour=1000000",
    ];

    [OneTimeTearDown]
    public void DeleteMailbox() => _mailbox.Delete();

    [Test]
    public async Task ResetPassword_ExistingUnknownInactiveLockedAndMaillessNames_AnswerIdenticalBytes([ValueSource(nameof(Transports))] Transport transport)
    {
        var (_, existing, _) = await Admin.CreateMailUserAsync();
        var (inactiveId, inactive, _) = await Admin.CreateMailUserAsync("inactive");
        await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{inactiveId},\"Active\":false}}");
        var (lockedId, locked, _) = await Admin.CreateMailUserAsync("locked");
        await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{lockedId},\"Locked\":true}}");
        var mailless = AccountSteps.Unique("nomail");
        await Admin.CreateUserAsync(mailless);

        var replies = new List<string>();
        foreach (var name in new[] { existing, existing.ToUpperInvariant(), "no-such-user-" + Guid.NewGuid().ToString("N"), inactive, locked, mailless })
            replies.Add(await Host.CallAnonymousAsync(transport, "ResetPassword", ResetSteps.Request(name)));

        Assert.That(replies, Is.All.EqualTo(Std.Ok));
    }

    [Test]
    public async Task ResetPassword_MailInThePickupDirectory_HoldsTheLinkAndIsOwnerOnly()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();

        Assert.That(await Host.CallAnonymousAsync(Transport.Http, "ResetPassword", ResetSteps.Request(name)), Is.EqualTo(Std.Ok));

        var (linkUser, code) = await _mailbox.ResetLinkAsync(email);
        Assert.That(linkUser, Is.EqualTo(userId));
        Assert.That(code, Does.Match("^[A-Za-z0-9_-]{43}$"), "32 random bytes as unpadded base64url");
        var file = _mailbox.Files.Single(f => File.ReadAllText(f).Contains(code, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM password_resets WHERE UserId = @userId", new { userId }), Is.EqualTo(1));
        Assert.That(await Host.ScalarAsync<string>($"SELECT {DatabaseProbe.Hex("CodeHash")} FROM password_resets WHERE UserId = @userId", new { userId }),
            Is.EqualTo(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code)))), "only the SHA-256 is stored");
    }

    [Test]
    public async Task ResetPassword2_TheCode_WorksOnceAndSetsTheNewPassword([ValueSource(nameof(Transports))] Transport transport)
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok));
        var again = await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "third-password-3", code));

        Assert.That(again, Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
        using var socket = await Host.ConnectAsync();
        Assert.That((await socket.AuthenticateAsync(name, ResetSteps.Password)).GetProperty("Authenticated").GetBoolean(), Is.False);
        await socket.LoginAsync(name, "second-password-2");
        var audit = await Admin.CallAsync("GetAuditLog", $"{{\"TargetUserId\":{userId},\"Function\":\"ResetPassword2\"}}");
        Assert.That(audit.Payload[0].GetProperty("Change").GetString(), Is.EqualTo("password reset"), audit.O);
        Assert.That(audit.O, Does.Not.Contain(code).And.Not.Contain("second-password-2"));
    }

    [Test]
    public async Task ResetPassword2_UserIdAsANumericString_IsAccepted()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        var reply = await Host.CallAnonymousAsync(Transport.Http, "ResetPassword2", $"{{\"UserId\":\"{userId}\",\"Password\":\"second-password-2\",\"PendingCode\":\"{code}\"}}");

        Assert.That(reply, Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task ResetPassword_ASecondRequest_VoidsTheFirstCode()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var first = await Host.MailedCodeAsync(_mailbox, name, email);
        var second = await Host.MailedCodeAsync(_mailbox, name, email, count: 2);

        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", first)),
            Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", second)), Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task ResetPassword2_FiveWrongCodes_VoidTheOutstandingCode([ValueSource(nameof(Transports))] Transport transport)
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", "wrong-code-" + i));
            Assert.That(wrong, Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
        }
        var right = await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code));

        Assert.That(right, Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM password_resets WHERE UserId = @userId", new { userId }), Is.Zero);
    }

    [Test]
    public async Task ResetPassword2_FourWrongCodes_LeaveTheCodeWorking()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);
        for (var i = 0; i < 4; i++)
            await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", "wrong-" + i));

        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task ResetPassword2_UnknownUser_Answers101LikeAWrongCode([ValueSource(nameof(Transports))] Transport transport)
    {
        var reply = await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(987654, "second-password-2", new string('A', 43)));

        Assert.That(reply, Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
    }

    [Test]
    public async Task ResetPassword2_ChecksTheLengthFirstThenTheCodeThenTheNameRule([ValueSource(nameof(Transports))] Transport transport)
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);
        const string rule = "Password must be 8-128 characters and differ from UserName and Email";

        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "short", "wrong")), Is.EqualTo(Std.Error(100, rule)));
        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, name, "wrong")),
            Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")), "the code is checked before the name rule");
        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, name.ToUpperInvariant(), code)), Is.EqualTo(Std.Error(100, rule)));
        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, email, code)), Is.EqualTo(Std.Error(100, rule)));
        Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok),
            "a refused password does not use up the code");
    }

    [TestCase("{}", "UserId is required")]
    [TestCase("{\"UserId\":5,\"Password\":\"second-password-2\"}", "PendingCode is required")]
    public async Task ResetPassword2_MissingKey_Answers100(string payload, string detail)
    {
        foreach (var transport in Transports)
        {
            var withPassword = payload == "{}" ? "{\"Password\":\"second-password-2\",\"PendingCode\":\"x\"}" : payload;
            Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword2", withPassword), Is.EqualTo(Std.Error(100, detail)));
        }
    }

    [TestCase("{}", "UserName is required")]
    [TestCase("{\"UserName\":\"\"}", "UserName is required")]
    [TestCase("{\"UserName\":\"bob\\u0000x\"}", "UserName holds the character U+0000 (NUL), which no text may hold")]
    [TestCase("{\"UserName\":\"bob\\u0001x\"}", "UserName must not contain control characters")]
    public async Task ResetPassword_MalformedUserName_Answers100(string payload, string detail)
    {
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "ResetPassword", payload), Is.EqualTo(Std.Error(100, detail)), transport.ToString());
    }

    [Test]
    public async Task ResetPassword2_Success_EndsEverySessionOfTheUser()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        using var socket = await Host.ConnectAsync();
        var token = await socket.LoginAsync(name, ResetSteps.Password);
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        Assert.That(await Host.CallAnonymousAsync(Transport.Http, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok));

        var closed = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        using var resume = await Host.ConnectAsync();
        var resumed = await resume.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
        Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, resumed.O);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE UserId = @userId", new { userId }), Is.Zero);
        await _mailbox.WaitForAsync(email, count: 2);
        Assert.That(_mailbox.To(email)[^1].Subject, Is.EqualTo("Your password was changed"));
    }

    [Test]
    public async Task ResetPassword2_Success_SendsSessionEndedEventReasonPasswordReset()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        using var socket = await Host.ConnectAsync();
        await socket.LoginAsync(name, ResetSteps.Password);
        using var watcher = await Host.ConnectAdminAsync();
        await watcher.SubscribeAsync($"{{\"UserId\":{userId}}}");
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok));

        var ended = await watcher.NextEventAsync();
        Assert.That(ended.N, Is.EqualTo("SessionEndedEvent"), ended.Raw);
        Assert.That((ended.Payload.GetProperty("UserId").GetInt32(), ended.Payload.GetProperty("Function").GetString(), ended.Payload.GetProperty("Reason").GetString()),
            Is.EqualTo((userId, "SessionEnded", "PasswordReset")));
    }

    [Test]
    public async Task ResetPassword2_LockedAfterTheRequest_StaysLockedAndKeeps2FA()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        Assert.That((await Admin.CallAsync("EnableGoogle2FA", $"{{\"UserId\":{userId}}}")).ErrorCode(), Is.Zero);
        var code = await Host.MailedCodeAsync(_mailbox, name, email);
        using var socket = await Host.ConnectAsync();
        for (var i = 0; i < 5; i++)
            await socket.AuthenticateAsync(name, "wrong-password-" + i);

        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code)), Is.EqualTo(Std.Ok));

        var info = (await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload;
        Assert.That(info.GetProperty("Locked").GetBoolean(), Is.True, "a reset does not lift a lock");
        Assert.That(info.GetProperty("Use2FA").GetBoolean(), Is.True, "a reset does not turn 2FA off");
        Assert.That(info.GetProperty("NumberOfFailedAttempt").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task ResetPassword_DryRun_SendsNoMailAndStoresNoCode()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();

        var dry = await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword", Safety.WriteCallScenarios.With(ResetSteps.Request(name), "DryRun", true));
        var code = await Host.MailedCodeAsync(_mailbox, name, email);

        Assert.That(dry, Is.EqualTo(Std.Ok[..^1] + ",\"DryRun\":true}"));
        Assert.That(_mailbox.To(email), Has.Count.EqualTo(1), "only the real request mailed");
        Assert.That(code, Has.Length.EqualTo(43));
    }

    [Test]
    public async Task ResetPassword_ClientRequestIdWithoutASession_Answers100([ValueSource(nameof(Transports))] Transport transport)
    {
        var reply = await Host.CallAnonymousAsync(transport, "ResetPassword", "{\"UserName\":\"someone\",\"ClientRequestId\":\"r-1\"}");

        Assert.That(reply, Is.EqualTo(Std.Error(100, "ClientRequestId needs a logged-in session")));
    }

    [Test]
    public async Task ResetCode_AppearsInNoReplyLogLineAuditRowOrStoredReply()
    {
        var (userId, name, email) = await Admin.CreateMailUserAsync();
        // A logged-in caller may ask too, and with a ClientRequestId its reply is stored.
        Assert.That((await Admin.CallAsync("ResetPassword", $"{{\"UserName\":\"{name}\",\"ClientRequestId\":\"reset-{userId}\"}}")).O, Is.EqualTo(Std.Ok));
        var code = (await _mailbox.ResetLinkAsync(email)).Code;
        var reply = await Host.CallAnonymousAsync(Transport.Http, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", code));
        Assert.That(reply, Is.EqualTo(Std.Ok));

        Assert.That(LogCapture.Lines.Where(l => l.Contains(code, StringComparison.Ordinal)), Is.Empty);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE instr(Payload, @code) > 0 OR instr(coalesce(Before, ''), @code) > 0 OR instr(coalesce(After, ''), @code) > 0", new { code }), Is.Zero);
        var dump = await DatabaseProbe.SnapshotAsync(Host.DatabasePath());
        Assert.That(dump, Does.Not.Contain(code).And.Not.Contain("second-password-2"));
        Assert.That(LogCapture.Lines.Any(l => l.StartsWith("Warning Gateway.Security", StringComparison.Ordinal) && l.Contains("password reset requested for " + name, StringComparison.Ordinal)));
    }
}
