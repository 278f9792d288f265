using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Safety;

/// <summary>protocol.md 9.3: many calls in one frame, each its own call through the dispatcher; atomically all or nothing.</summary>
[TestFixture]
public sealed class BatchTests : AdminFixture
{
    private static readonly string[] FiveNames = ["AddUserPermission", "AddUserPermission", "AddUserPermission", "AddUserPermission", "AddUserAffiliateTag"];
    private static readonly int[] AllButThird = [0, 1, 3, 4];

    private static string Batch(bool atomic, params (string N, object O)[] calls) =>
        JsonSerializer.Serialize(new { Calls = calls.Select(c => new { n = c.N, o = c.O }), Atomic = atomic });

    // Five grants, the third naming a user that does not exist.
    private async Task<(string Payload, int UserId)> FiveWithThirdFailingAsync(bool atomic)
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("batch"));
        var payload = Batch(atomic,
            ("AddUserPermission", new { UserId = userId, Permission = "GetAuditLog" }),
            ("AddUserPermission", new { UserId = userId, Permission = "GetUserInfo" }),
            ("AddUserPermission", new { UserId = 987654, Permission = "GetUserInfo" }),
            ("AddUserPermission", new { UserId = userId, Permission = "AccountReadOnly" }),
            ("AddUserAffiliateTag", new { userId, affiliateTag = "b_" + Guid.NewGuid().ToString("N")[..10] }));
        return (payload, userId);
    }

    private static JsonElement Item(ReplyFrame reply, int index) => reply.Payload.GetProperty("Results")[index].GetProperty("o");

    [Test]
    public async Task Atomic_ThirdOfFiveFails_NothingIsAppliedAndEachItemSaysWhy()
    {
        var (payload, _) = await FiveWithThirdFailingAsync(atomic: true);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("Batch", payload);

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), "an atomic batch with a failing item leaves every table as it was");
        var batch = reply.Payload;
        Assert.That(batch.GetProperty("result").GetBoolean(), Is.False, reply.O);
        Assert.That(batch.GetProperty("errorcode").GetInt32(), Is.EqualTo(101));
        Assert.That(batch.GetProperty("errormsg").GetString(), Is.EqualTo("Operation Failed"));
        Assert.That(batch.GetProperty("detail").GetString(), Is.EqualTo("item 3 (AddUserPermission) failed; nothing was applied"));
        Assert.That(Item(reply, 2).GetRawText(), Is.EqualTo(Std.Error(104, "UserId 987654 does not exist")));
        foreach (var other in AllButThird)
            Assert.That(Item(reply, other).GetRawText(), Is.EqualTo(Std.Error(101, "not applied: item 3 failed")), $"item {other + 1}");
        Assert.That(batch.GetProperty("Results").EnumerateArray().Select(r => r.GetProperty("n").GetString()),
            Is.EqualTo(FiveNames));
    }

    [Test]
    public async Task NonAtomic_ThirdOfFiveFails_TheOtherFourAreApplied()
    {
        var (payload, userId) = await FiveWithThirdFailingAsync(atomic: false);
        var auditBefore = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("Batch", payload);

        Assert.That(reply.Payload.GetProperty("result").GetBoolean(), Is.True, reply.O);
        Assert.That(Item(reply, 2).GetProperty("errorcode").GetInt32(), Is.EqualTo(104));
        foreach (var other in AllButThird)
            Assert.That(Item(reply, other).GetRawText(), Is.EqualTo(Std.Ok), $"item {other + 1}");
        Assert.That((await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O,
            Is.EqualTo("[\"AccountReadOnly\",\"Deposit\",\"GetAuditLog\",\"GetUserInfo\",\"Trading\",\"Withdraw\"]"));
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(auditBefore + 4));
    }

    [Test]
    public async Task Atomic_AllSucceed_OnboardsByNamesInOneTransaction()
    {
        var userName = AccountSteps.Unique("onboard");
        var handle = AccountSteps.Unique("h");
        var reply = await Admin.CallAsync("Batch", Batch(true,
            ("CreateUser", new { UserInfo = new { UserName = userName, Password = "password-123" } }),
            ("AddAccount", new { AccountName = userName, AccountHandle = handle }),
            ("AddUserAccount", new { userName, accountHandle = handle })));

        Assert.That(reply.Payload.GetProperty("result").GetBoolean(), Is.True, reply.O);
        Assert.That(Item(reply, 2).GetRawText(), Is.EqualTo(Std.Ok), "the link sees the user and account made by the items before it");
        var userId = Item(reply, 0).GetProperty("UserId").GetInt32();
        Assert.That((await Admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo($"[{Item(reply, 1).GetProperty("Id").GetInt32()}]"));
    }

    [Test]
    public async Task Item_TheCallerMayNotMake_Answers20WhileTheOthersRun()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var reply = await user.CallAsync("Batch", Batch(false,
                ("GetUserInfo", new { }),
                ("AddUserPermission", new { UserId = userId, Permission = "Operator" }),
                ("AddUserAffiliateTag", new { affiliateTag = "own_" + Guid.NewGuid().ToString("N")[..8] })));

            Assert.That(Item(reply, 0).GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(Item(reply, 1).GetProperty("errorcode").GetInt32(), Is.EqualTo(20), reply.O);
            Assert.That(Item(reply, 2).GetRawText(), Is.EqualTo(Std.Ok));
            Assert.That((await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Does.Not.Contain("Operator"));
        }
    }

    [Test]
    public async Task Batch_AnonymousSocket_Answers20NotLoggedIn()
    {
        using var anonymous = await Host.ConnectAsync();

        var reply = await anonymous.CallAsync("Batch", Batch(false, ("Ping", new { })));

        Assert.That(reply.O, Is.EqualTo(Std.Error(20, "Not logged in")));
    }

    [TestCase(0, "Batch needs Calls: a list of 1 to 100 items {\"n\":\"<Function>\",\"o\":{...}}")]
    [TestCase(101, "Batch takes at most 100 calls, not 101")]
    public async Task Batch_CountOutsideOneToHundred_Answers100(int count, string detail)
    {
        var before = await Host.SnapshotExceptAsync("sessions");
        var calls = Enumerable.Range(0, count).Select(_ => ("UnLockUser", (object)new { UserId = 1 })).ToArray();

        var reply = await Admin.CallAsync("Batch", Batch(false, calls));

        Assert.That(reply.O, Is.EqualTo(Std.Error(100, detail)));
        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before), "no item ran");
    }

    [Test]
    public async Task Batch_HundredItems_AllRun()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("hundred"));
        var calls = Enumerable.Range(0, 100).Select(_ => ("UnLockUser", (object)new { UserId = userId })).ToArray();

        var reply = await Admin.CallAsync("Batch", Batch(false, calls));

        Assert.That(reply.Payload.GetProperty("Results").EnumerateArray().Count(r => r.GetProperty("o").GetRawText() == Std.Ok), Is.EqualTo(100), reply.O);
    }

    [Test]
    public async Task Items_LoginOrBatch_Answer100AndDoNotRun()
    {
        var reply = await Admin.CallAsync("Batch", Batch(false,
            ("authenticateuser", new { UserName = "admin", Password = TestHost.AdminPassword }),
            ("LogOut", new { }),
            ("batch", new { Calls = new[] { new { n = "Ping" } } }),
            ("Ping", new { })));

        Assert.That(Item(reply, 0).GetRawText(), Is.EqualTo(Std.Error(100, "AuthenticateUser cannot be an item of a Batch")));
        Assert.That(Item(reply, 1).GetRawText(), Is.EqualTo(Std.Error(100, "LogOut cannot be an item of a Batch")));
        Assert.That(Item(reply, 2).GetRawText(), Is.EqualTo(Std.Error(100, "Batch cannot be an item of a Batch")));
        Assert.That(Item(reply, 3).GetRawText(), Is.EqualTo("{\"msg\":\"PONG\"}"));
        Assert.That((await Admin.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"), "LogOut did not run: the session lives");
    }

    [Test]
    public async Task Items_StringPayloadAndUnknownFunction_AnswerAsFramesWould()
    {
        var reply = await Admin.CallAsync("Batch", "{\"Calls\":[{\"n\":\"GetUserInfo\",\"o\":\"{\\\"UserId\\\":1}\"},{\"n\":\"NoSuchCall\"},{\"o\":{}}]}");

        Assert.That(Item(reply, 0).GetProperty("UserName").GetString(), Is.EqualTo("admin"), reply.O);
        Assert.That(Item(reply, 1).GetRawText(), Is.EqualTo(Std.Error(106, "Endpoint Not Found: NoSuchCall")));
        Assert.That(Item(reply, 2).GetRawText(), Is.EqualTo(Std.Error(100, "item 3 needs n, the function to call")));
    }

    [Test]
    public async Task DryRun_Batch_MarksEveryReplyAndChangesNothing()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("drybatch"));
        var payload = WriteCallScenarios.With(Batch(false,
            ("AddUserPermission", new { UserId = userId, Permission = "GetAuditLog" }),
            ("RevokeUserPermission", new { UserId = userId, Permission = "GetAuditLog" }),
            ("GetUserPermissions", new { UserId = userId }),
            ("AddUserPermission", new { UserId = 987654, Permission = "GetAuditLog" })), "DryRun", true);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("Batch", payload);

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(reply.Payload.GetProperty("DryRun").GetBoolean(), Is.True, reply.O);
        Assert.That(Item(reply, 0).GetRawText(), Is.EqualTo(Std.Ok[..^1] + ",\"DryRun\":true}"));
        Assert.That(Item(reply, 1).GetRawText(), Is.EqualTo(Std.Ok[..^1] + ",\"DryRun\":true}"),
            "the revoke sees the grant made by the item before it, inside the dry run (for real it would answer 104)");
        // An array cannot carry the key: its result entry does.
        Assert.That(reply.Payload.GetProperty("Results")[2].GetProperty("DryRun").GetBoolean(), Is.True);
        Assert.That(Item(reply, 3).GetProperty("errorcode").GetInt32(), Is.EqualTo(104));
        Assert.That(Item(reply, 3).GetProperty("DryRun").GetBoolean(), Is.True);
    }

    [Test]
    public async Task ClientRequestId_OnTheBatch_RepeatAnswersTheStoredReplyAndRunsNoItem()
    {
        var userName = AccountSteps.Unique("oncebatch");
        var payload = WriteCallScenarios.With(Batch(false,
            ("CreateUser", new { UserInfo = new { UserName = userName, Password = "password-123" } }),
            ("AddAccount", new { AccountName = userName })), "ClientRequestId", "batch-" + Guid.NewGuid().ToString("N"));

        var first = await Admin.CallAsync("Batch", payload);
        var auditAfterFirst = await Audit.CountAsync(Host);
        var repeat = await Admin.CallAsync("Batch", payload);

        Assert.That(repeat.O, Is.EqualTo(first.O));
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(auditAfterFirst));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @userName", new { userName }), Is.EqualTo(1));
    }

    [Test]
    public async Task ClientRequestId_OnAnItem_MakesThatItemRepeatSafe()
    {
        var userName = AccountSteps.Unique("onceitem");
        var item = new Dictionary<string, object> { ["UserInfo"] = new { UserName = userName, Password = "password-123" }, ["ClientRequestId"] = "item-" + Guid.NewGuid().ToString("N") };

        var first = await Admin.CallAsync("Batch", Batch(true, ("CreateUser", item)));
        var repeat = await Admin.CallAsync("Batch", Batch(true, ("CreateUser", item), ("Ping", new { })));

        Assert.That(Item(repeat, 0).GetRawText(), Is.EqualTo(Item(first, 0).GetRawText()));
        Assert.That(repeat.Payload.GetProperty("result").GetBoolean(), Is.True, repeat.O);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @userName", new { userName }), Is.EqualTo(1));
    }

    [Test]
    public async Task Batch_OverHttp_AnswersTheSameShape()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var (payload, _) = await FiveWithThirdFailingAsync(atomic: true);
        var before = await Host.SnapshotExceptAsync("sessions");

        var reply = await Host.PostAsync("/AP/Batch", payload, token);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reply.Json.GetProperty("detail").GetString(), Is.EqualTo("item 3 (AddUserPermission) failed; nothing was applied"), reply.ToString());
        Assert.That(reply.Json.GetProperty("Results")[2].GetProperty("o").GetProperty("errorcode").GetInt32(), Is.EqualTo(104));
        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before));
        var ok = await Host.PostAsync("/ap/batch", Batch(false, ("Ping", new { })), token);
        Assert.That(ok.Body, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"Results\":[{\"n\":\"Ping\",\"o\":{\"msg\":\"PONG\"}}]}"));
    }
}

/// <summary>Each item of a Batch takes one token of its socket's rate limit.</summary>
[TestFixture]
public sealed class BatchRateLimitTests : AdminFixture
{
    protected override string[] Settings => ["--Gateway:Limits:RequestBurst=30", "--Gateway:Limits:RequestsPerSecond=1"];

    [Test]
    public async Task Batch_MoreItemsThanTokensLeft_AnswersRateLimitExceededAndRunsNone()
    {
        // 30 tokens: the login takes one, each Batch frame one, and each item after the first one more.
        using var socket = await Host.ConnectAdminAsync();

        var tooMany = await socket.CallAsync("Batch", Pings(40));
        var fits = await socket.CallAsync("Batch", Pings(28));
        var afterwards = await socket.CallAsync("Batch", Pings(5));

        Assert.That(tooMany.O, Is.EqualTo(Std.Error(101, "Rate limit exceeded")), "refused whole: it took none of the 28 tokens left");
        Assert.That(fits.Payload.GetProperty("Results").GetArrayLength(), Is.EqualTo(28), fits.O);
        Assert.That(afterwards.O, Is.EqualTo(Std.Error(101, "Rate limit exceeded")), "the 28 items took the 28 tokens (at 1 a second, too few came back since)");
    }

    private static string Pings(int count) => JsonSerializer.Serialize(new { Calls = Enumerable.Range(0, count).Select(_ => new { n = "Ping" }) });
}
