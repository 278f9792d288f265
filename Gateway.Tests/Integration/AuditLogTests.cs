using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Audit: every account, link, tag and user write is recorded with its caller and change; GetAuditLog filters and pages.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AuditLogTests : AdminFixture
{
    private static readonly string[] TargetUserFunctions = ["AddUserPermission", "AddUserAccount", "CreateUser"];
    private static readonly string[] AccountFunctions = ["RemoveUserAccount", "AddUserAccount", "AddAccount"];

    /// <summary>A socket logged in as a new operator, so the records it makes can be told apart by UserId.</summary>
    private async Task<(TestClient Client, int UserId)> NewOperatorAsync()
    {
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, Unique("op"));
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "Operator" }))).O, Is.EqualTo(Std.Ok));
        return (client, userId);
    }

    private static void AssertRecord(JsonElement record, int userId, string function, string payload, string change)
    {
        Assert.That(record.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), record.GetRawText());
        Assert.That(record.GetProperty("Function").GetString(), Is.EqualTo(function), record.GetRawText());
        Assert.That(record.GetProperty("Payload").GetRawText(), Is.EqualTo(payload), record.GetRawText());
        Assert.That(record.GetProperty("Change").GetString(), Is.EqualTo(change), record.GetRawText());
        Assert.That(record.GetProperty("SessionId").GetString(), Is.Not.Empty, record.GetRawText());
        Assert.That(record.GetProperty("Time").GetString(), Does.Match("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$"), record.GetRawText());
    }

    [Test]
    public async Task GetAuditLog_EveryAccountLinkTagAndUserWrite_IsRecordedWithCallerAndChange()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var userId = await Admin.CreateUserAsync(Unique("subject"));
        var tag = "t_" + Guid.NewGuid().ToString("N")[..12];
        var renamed = tag + "-b";
        var newName = Unique("referred");
        var calls = new List<(string Function, string Payload)>
        {
            ("AddAccount", Json(new { AccountName = "Audited", AccountHandle = Unique("aud") })),
        };
        var added = await op.CallAsync(calls[0].Function, calls[0].Payload);
        var accountId = added.Payload.GetProperty("Id").GetInt32();
        calls.Add(("AddUserAccount", Json(new { accountId, userId })));
        calls.Add(("AddUserAccount", Json(new { accountId, userId })));
        calls.Add(("AddUserAffiliateTag", Json(new { omsId = 1, userId, affiliateId = 0, affiliateTag = tag })));
        calls.Add(("UpdateUserAffiliateTag", Json(new { userId, affiliateTag = renamed })));
        calls.Add(("CreateUser", Json(new { UserInfo = new { UserName = newName, Password = "password-123" }, AffiliateTag = renamed })));
        calls.Add(("RemoveUserAffiliateTag", Json(new { UserId = userId })));
        calls.Add(("RemoveUserAccount", Json(new { accountId, userId })));
        var replies = new List<ReplyFrame> { added };
        foreach (var (function, payload) in calls.Skip(1))
            replies.Add(await op.CallAsync(function, payload));
        Assert.That(replies.Select(r => r.ErrorCode()), Is.All.Zero, string.Join("\n", replies.Select(r => r.O)));
        var newUserId = replies[5].Payload.GetProperty("UserId").GetInt32();

        var log = (await Admin.AuditAsync(new { UserId = opId })).EnumerateArray().Reverse().ToList();

        Assert.That(log[0].GetProperty("Function").GetString(), Is.EqualTo("AuthenticateUser"), "the operator's own login comes first");
        log.RemoveAt(0);
        Assert.That(log, Has.Count.EqualTo(calls.Count), "one record per write, none for the reads");
        string[] changes =
        [
            $"account {accountId} 'Audited' created",
            $"user {userId} linked to account {accountId}",
            $"no change: user {userId} was already linked to account {accountId}",
            "(the AffiliateId is the gateway's choice; set below)",
            $"user {userId} tag changed from '{tag}' to '{renamed}'",
            $"user {newUserId} '{newName}' created",
            $"user {userId} tag '{renamed}' removed",
            $"user {userId} unlinked from account {accountId}",
        ];
        var tagRecord = log[3].GetProperty("Change").GetString()!;
        changes[3] = $"user {userId} tagged '{tag}' with AffiliateId {tagRecord[(tagRecord.LastIndexOf(' ') + 1)..]}";
        Assert.That(tagRecord, Does.Match($"^user {userId} tagged '{tag}' with AffiliateId [1-9]\\d*$"));
        for (var i = 0; i < calls.Count; i++)
        {
            var expectedPayload = calls[i].Function == "CreateUser"
                ? Json(new { UserInfo = new { UserName = newName }, AffiliateTag = renamed })
                : calls[i].Payload;
            AssertRecord(log[i], opId, calls[i].Function, expectedPayload, changes[i]);
        }
        Assert.That(log.Select(r => r.GetProperty("SessionId").GetString()).Distinct().Count(), Is.EqualTo(1), "all from the operator's one session");
        Assert.That(string.Join("\n", log.Select(r => r.GetRawText())), Does.Not.Contain("password-123"));
    }

    [Test]
    public async Task GetAuditLog_StartIndexAndLimit_PageNewestFirst()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
            ids.Add(await op.AddAccountAsync(name: $"Page {i}"));

        async Task<string[]> Page(int start, int limit) =>
            (await Admin.AuditAsync(new { UserId = opId, Function = "AddAccount", StartIndex = start, Limit = limit })).EnumerateArray()
                .Select(r => r.GetProperty("Change").GetString()!).ToArray();

        string Created(int i) => $"account {ids[i]} 'Page {i}' created";
        Assert.That(await Page(0, 2), Is.EqualTo(new[] { Created(4), Created(3) }));
        Assert.That(await Page(2, 2), Is.EqualTo(new[] { Created(2), Created(1) }));
        Assert.That(await Page(4, 2), Is.EqualTo(new[] { Created(0) }));
        Assert.That(await Page(5, 2), Is.Empty);
        var all = await Admin.AuditAsync(new { UserId = opId });
        var recordIds = all.EnumerateArray().Select(r => r.GetProperty("Id").GetInt64()).ToList();
        Assert.That(recordIds, Is.Ordered.Descending);
    }

    [Test]
    public async Task GetAuditLog_NoLimit_AnswersAtMostOneHundred()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        await Task.WhenAll(Enumerable.Range(0, 101).Select(i => op.CallAsync("AddAccount", Json(new { AccountName = $"Bulk {i}" })))).WaitAsync(TimeSpan.FromSeconds(30));

        var page = await Admin.AuditAsync(new { UserId = opId });

        Assert.That(page.GetArrayLength(), Is.EqualTo(100));
        Assert.That((await Admin.AuditAsync(new { UserId = opId, Function = "AddAccount", Limit = 1000 })).GetArrayLength(), Is.EqualTo(101));
    }

    [Test]
    public async Task GetAuditLog_FunctionInOtherCase_AnswersOnlyThatFunction()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var accountId = await op.AddAccountAsync();
        var userId = await op.CreateUserAsync(Unique("fn"));
        await op.LinkAsync(userId, accountId);

        var links = await Admin.AuditAsync(new { UserId = opId, Function = "ADDUSERACCOUNT" });
        var accounts = await Admin.AuditAsync(new { UserId = opId, Function = "addaccount" });

        Assert.That(links.GetArrayLength(), Is.EqualTo(1));
        Assert.That(links[0].GetProperty("Change").GetString(), Is.EqualTo($"user {userId} linked to account {accountId}"));
        Assert.That(accounts.GetArrayLength(), Is.EqualTo(1));
        Assert.That(accounts[0].GetProperty("Function").GetString(), Is.EqualTo("AddAccount"));
    }

    [Test]
    public async Task GetAuditLog_FromTimeAndToTime_AnswerRecordsWithinBothInclusive()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        for (var i = 0; i < 5; i++)
            await op.AddAccountAsync(name: $"Time {i}");
        var all = (await Admin.AuditAsync(new { UserId = opId })).EnumerateArray().ToList();
        var from = all[3].GetProperty("Time").GetString()!;
        var to = all[1].GetProperty("Time").GetString()!;
        var expected = all.Where(r => string.CompareOrdinal(r.GetProperty("Time").GetString(), from) >= 0 && string.CompareOrdinal(r.GetProperty("Time").GetString(), to) <= 0)
            .Select(r => r.GetProperty("Id").GetInt64()).ToList();

        var window = await Admin.AuditAsync(new { UserId = opId, FromTime = from, ToTime = to });

        Assert.That(window.EnumerateArray().Select(r => r.GetProperty("Id").GetInt64()), Is.EqualTo(expected));
        Assert.That(expected, Has.Count.GreaterThanOrEqualTo(3));
        Assert.That((await Admin.AuditAsync(new { UserId = opId, FromTime = "2999-01-01T00:00:00Z" })).GetArrayLength(), Is.Zero);
        Assert.That((await Admin.AuditAsync(new { UserId = opId, ToTime = "2000-01-01T00:00:00Z" })).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task GetAuditLog_RefusedWrites_AreNotRecorded()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var userId = await Admin.CreateUserAsync(Unique("refused"));
        var accountId = await Admin.AddAccountAsync("taken-" + userId);

        var replies = new[]
        {
            await op.CallAsync("RemoveUserAccount", Json(new { accountId, userId })),
            await op.CallAsync("AddUserAccount", Json(new { accountId = 999999, userId })),
            await op.CallAsync("AddAccount", Json(new { AccountName = "Again", AccountHandle = "taken-" + userId })),
            await op.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = "not valid" })),
            await op.CallAsync("RemoveUserAffiliateTag", Json(new { UserId = userId })),
        };

        Assert.That(replies.Select(r => r.O.Contains("\"result\":false") || r.O.Contains("\"Success\":false")), Is.All.True);
        var log = await Admin.AuditAsync(new { UserId = opId });
        Assert.That(string.Join(",", log.EnumerateArray().Select(r => r.GetProperty("Function").GetString())), Is.EqualTo("AuthenticateUser"));
    }

    [Test]
    public async Task GetAuditLog_TargetUserId_AnswersEveryChangeToThatUserWhoeverMadeIt()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var target = await Admin.CreateUserAsync(Unique("target"));
        var other = await Admin.CreateUserAsync(Unique("other"));
        var accountId = await op.AddAccountAsync();
        await op.LinkAsync(target, accountId);
        await op.LinkAsync(other, accountId);
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = target, Permission = "AccountReadOnly" }))).O, Is.EqualTo(Std.Ok));

        var log = (await Admin.AuditAsync(new { TargetUserId = target })).EnumerateArray().ToList();
        var byOperator = await Admin.AuditAsync(new { TargetUserId = target, UserId = opId });

        Assert.That(log.Select(r => r.GetProperty("Function").GetString()), Is.EqualTo(TargetUserFunctions));
        Assert.That(log.Select(r => r.GetProperty("UserId").GetInt32()), Is.EqualTo(new[] { 1, opId, 1 }), "newest first, whoever made the change");
        Assert.That(log.Select(r => r.GetProperty("TargetUserId").GetInt32()), Is.All.EqualTo(target));
        Assert.That(byOperator.EnumerateArray().Select(r => r.GetProperty("Change").GetString()), Is.EqualTo(new[] { $"user {target} linked to account {accountId}" }));
    }

    [Test]
    public async Task GetAuditLog_AccountId_AnswersTheRecordsThatChangedThatAccount()
    {
        var userId = await Admin.CreateUserAsync(Unique("acct-filter"));
        var accountId = await Admin.AddAccountAsync();
        var otherAccount = await Admin.AddAccountAsync();
        await Admin.LinkAsync(userId, accountId);
        await Admin.LinkAsync(userId, otherAccount);
        Assert.That((await Admin.CallAsync("RemoveUserAccount", Json(new { accountId, userId }))).O, Is.EqualTo(Std.Ok));

        var log = (await Admin.AuditAsync(new { AccountId = accountId })).EnumerateArray().ToList();

        Assert.That(log.Select(r => r.GetProperty("Function").GetString()), Is.EqualTo(AccountFunctions));
        Assert.That(log.Select(r => r.GetProperty("TargetAccountId").GetInt32()), Is.All.EqualTo(accountId));
        Assert.That(log[0].GetProperty("Before").GetRawText(), Is.EqualTo($"{{\"AccountIds\":[{accountId},{otherAccount}]}}"));
        Assert.That(log[0].GetProperty("After").GetRawText(), Is.EqualTo($"{{\"AccountIds\":[{otherAccount}]}}"));
        Assert.That(log[2].GetProperty("Before").ValueKind, Is.EqualTo(JsonValueKind.Null), "AddAccount created it");
    }

    [Test]
    public async Task GetAuditLog_FromId_AnswersTheLaterRecordsOldestFirst()
    {
        var (op, opId) = await NewOperatorAsync();
        using var _ = op;
        var from = (await Admin.AuditAsync(new { Limit = 1 }))[0].GetProperty("Id").GetInt64();
        var ids = new List<int>();
        for (var i = 0; i < 4; i++)
            ids.Add(await op.AddAccountAsync(name: $"From {i}"));

        var later = (await Admin.AuditAsync(new { FromId = from, UserId = opId })).EnumerateArray().ToList();
        var page = (await Admin.AuditAsync(new { FromId = from, UserId = opId, StartIndex = 1, Limit = 2 })).EnumerateArray().ToList();
        var last = later[^1].GetProperty("Id").GetInt64();

        Assert.That(later.Select(r => r.GetProperty("Change").GetString()), Is.EqualTo(ids.Select((id, i) => $"account {id} 'From {i}' created")));
        Assert.That(later.Select(r => r.GetProperty("Id").GetInt64()), Is.Ordered.Ascending.And.All.GreaterThan(from));
        Assert.That(page.Select(r => r.GetProperty("Id").GetInt64()), Is.EqualTo(later.Skip(1).Take(2).Select(r => r.GetProperty("Id").GetInt64())));
        Assert.That((await Admin.AuditAsync(new { FromId = last })).GetArrayLength(), Is.Zero);
        Assert.That((await Admin.AuditAsync(new { FromId = 0, Limit = 1 }))[0].GetProperty("Id").GetInt64(), Is.EqualTo(1), "FromId 0 is the log from its start");
    }

    [TestCase("{\"FromId\":-1}")]
    [TestCase("{\"Limit\":0}")]
    [TestCase("{\"Limit\":1001}")]
    [TestCase("{\"StartIndex\":-1}")]
    [TestCase("{\"FromTime\":\"yesterday\"}")]
    public async Task GetAuditLog_BadFilter_Answers100(string payload)
    {
        var reply = await Admin.CallAsync("GetAuditLog", payload);

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\""));
    }
}
