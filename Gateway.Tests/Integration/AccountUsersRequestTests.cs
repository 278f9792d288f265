using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>The accountUsers resource's request forms, ExternalUserId as the user's identity, GET, and the audit trail.</summary>
[TestFixture]
public sealed class AccountUsersRequestTests : AccountUsersFixture
{
    [Test]
    public async Task Post_ExternalUserIdSetBySetUserInfo_IdentifiesTheUser()
    {
        var userId = await NewUserAsync(externalUserId: null);
        var external = Unique("ext-set");
        var updated = await CallAsync("SetUserInfo", new { UserId = userId, ExternalUserId = external });
        Assert.That(updated.GetProperty("ExternalUserId").GetString(), Is.EqualTo(external), updated.ToString());
        var accountId = await NewAccountAsync();

        var reply = await PostLinkAsync(accountId, new { ExternalUserId = external });

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Created), reply.ToString());
        Assert.That(reply.Json.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(await UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Post_ConcurrentMovesOfOneUser_LeaveItOnExactlyOneAccount()
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var start = await NewAccountAsync();
        await LinkAsync(userId, start);
        var targets = new[] { await NewAccountAsync(), await NewAccountAsync(), await NewAccountAsync(), await NewAccountAsync() };

        var replies = await Task.WhenAll(targets.Select(a => PostLinkAsync(a, new { OverrideExistingMembership = true, ExternalUserId = external })));

        Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(HttpStatusCode.Created), string.Join("\n", replies.Select(r => r.ToString())));
        var accounts = JsonDocument.Parse(await UserAccountsAsync(userId)).RootElement.EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.That(accounts, Has.Count.EqualTo(1));
        Assert.That(targets, Does.Contain(accounts[0]));
        Assert.That((await CallAsync("GetUserInfo", new { UserId = userId })).GetProperty("AccountId").GetInt32(), Is.EqualTo(accounts[0]));
    }

    [TestCase("application/json")]
    [TestCase("text/json")]
    public async Task Post_KeysInOtherCasingsAndNumericStrings_Work(string mediaType)
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var accountId = await NewAccountAsync(flags: false);

        var reply = await Host.PostAsync($"/accounts/{accountId}/accountUsers",
            $"{{\"accountid\":\"{accountId}\",\"EXTERNALUSERID\":\"{external}\",\"usertype\":\"2\"}}", Admin, mediaType);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Created), reply.ToString());
        Assert.That(reply.Json.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(reply.Json.GetProperty("User").GetProperty("UserType").GetInt32(), Is.EqualTo(2));
        Assert.That(reply.Json.GetProperty("AccountUserPermissions").GetRawText(), Is.EqualTo("[]"));
    }

    [Test]
    public async Task Post_Link_AppearsInGetAuditLogLikeSocketWrites()
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var accountId = await NewAccountAsync();
        var body = $"{{\"ExternalUserId\":\"{external}\",\"UserType\":1}}";
        Assert.That((await Host.PostAsync($"/accounts/{accountId}/accountUsers", body, Admin)).Status, Is.EqualTo(HttpStatusCode.Created));

        using var socket = await Host.ConnectAdminAsync();
        var log = await socket.CallAsync("GetAuditLog", "{\"Function\":\"post /accounts/{accountId}/accountusers\",\"Limit\":1}");
        var record = log.Payload[0];
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("Function").GetString(), Is.EqualTo("POST /accounts/{accountId}/accountUsers"));
            Assert.That(record.GetProperty("UserId").GetInt32(), Is.EqualTo(1));
            Assert.That(record.GetProperty("SessionId").GetString(), Is.Not.Null.And.Not.Empty);
            Assert.That(record.GetProperty("Payload").GetRawText(), Is.EqualTo(body));
            Assert.That(record.GetProperty("Change").GetString(), Is.EqualTo($"user {userId} linked to account {accountId}"));
        });
    }

    [Test]
    public async Task Post_CallWriteOverAp_AppearsInGetAuditLogWithItsSession()
    {
        var userId = await NewUserAsync(externalUserId: null);
        var granted = await CallAsync("AddUserPermission", new { UserId = userId, Permission = "Deposit", Value = 1 });
        Assert.That(granted.GetProperty("result").GetBoolean(), Is.True);
        var accountId = await NewAccountAsync();
        await LinkAsync(userId, accountId);

        var log = await CallAsync("GetAuditLog", new { Function = "AddUserAccount", Limit = 1 });
        Assert.That(log[0].GetProperty("Change").GetString(), Is.EqualTo($"user {userId} linked to account {accountId}"));
        Assert.That(log[0].GetProperty("Payload").GetRawText(), Is.EqualTo($"{{\"userId\":{userId},\"accountId\":{accountId}}}"));
        Assert.That(log[0].GetProperty("SessionId").GetString(), Is.Not.Null.And.Not.Empty);
    }

    [Test]
    public async Task Get_List_AnswersEveryLinkOfTheAccountInTheSeedShape()
    {
        var accountId = await NewAccountAsync();
        var (first, second) = (Unique("ext"), Unique("ext"));
        var firstId = await NewUserAsync(first);
        var secondId = await NewUserAsync(second);
        var created = await PostLinkAsync(accountId, new { ExternalUserId = first });
        await LinkAsync(secondId, accountId);

        var listed = await Host.GetAsync($"/accounts/{accountId}/accountUsers", Admin);

        Assert.That(listed.Status, Is.EqualTo(HttpStatusCode.OK), listed.ToString());
        Assert.That(listed.MediaType, Is.EqualTo("application/json"));
        Assert.That(listed.Json.EnumerateArray().Select(l => l.GetProperty("UserId").GetInt32()), Is.EqualTo(new[] { firstId, secondId }));
        Assert.That(listed.Json[0].GetRawText(), Is.EqualTo(created.Body));
        foreach (var link in listed.Json.EnumerateArray())
            AssertSameShape(JsonDocument.Parse(SeedSample).RootElement, link);
        Assert.That((await Host.GetAsync($"/accounts/{await NewAccountAsync()}/accountUsers", Admin)).Body, Is.EqualTo("[]"));
    }

    [Test]
    public async Task Get_NoSuchAccountOrLink_Answers404()
    {
        var accountId = await NewAccountAsync();
        AssertProblem(await Host.GetAsync("/accounts/999999/accountUsers", Admin), HttpStatusCode.NotFound, "Account 999999 does not exist");
        AssertProblem(await Host.GetAsync($"/accounts/{accountId}/accountUsers/999999", Admin), HttpStatusCode.NotFound, $"Account {accountId} has no accountUser 999999");
    }

    [TestCase("abc")]
    [TestCase("0")]
    [TestCase("-3")]
    public async Task Request_PathAccountIdNotAPositiveInteger_Answers400(string accountId)
    {
        var detail = $"accountId in the path must be a positive integer, not '{accountId}'";
        AssertProblem(await Host.PostAsync($"/accounts/{accountId}/accountUsers", "{\"ExternalUserId\":\"x\"}", Admin), HttpStatusCode.BadRequest, detail);
        AssertProblem(await Host.GetAsync($"/accounts/{accountId}/accountUsers", Admin), HttpStatusCode.BadRequest, detail);
    }
}
