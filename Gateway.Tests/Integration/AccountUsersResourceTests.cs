using Gateway.Core.Dispatch;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>One test per row of calls.md's status table for <c>POST /accounts/{accountId}/accountUsers</c>.</summary>
[TestFixture]
public sealed class AccountUsersResourceTests : AccountUsersFixture
{
    private static readonly int[] BothPermissions = [0, 1];

    [Test]
    public async Task Post_NewLink_Answers201WithLocationAndTheSeedSampleShape()
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var accountId = await NewAccountAsync();

        var reply = await PostLinkAsync(accountId, new { AccountId = accountId, OrverrideExistingMembership = true, ExternalUserId = external, UserType = 1 });

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Created), reply.ToString());
        Assert.That(reply.MediaType, Is.EqualTo("application/json"));
        var body = reply.Json;
        AssertSameShape(JsonDocument.Parse(SeedSample).RootElement, body);
        var linkId = body.GetProperty("Id").GetInt64();
        Assert.That(reply.Headers.Location?.OriginalString, Is.EqualTo($"/accounts/{accountId}/accountUsers/{linkId}"));
        Assert.That(reply.Headers.Location!.IsAbsoluteUri, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(body.GetProperty("AccountId").GetInt32(), Is.EqualTo(accountId));
            Assert.That(body.GetProperty("Account").GetProperty("Id").GetInt32(), Is.EqualTo(accountId));
            Assert.That(body.GetProperty("Account").GetProperty("City").GetString(), Is.EqualTo("Springfield"));
            Assert.That(body.GetProperty("Account").GetProperty("AccountUsers").GetRawText(), Is.EqualTo("[]"));
            Assert.That(body.GetProperty("User").GetProperty("Id").GetInt32(), Is.EqualTo(userId));
            Assert.That(body.GetProperty("User").GetProperty("ExternalUserId").GetString(), Is.EqualTo(external));
            Assert.That(body.GetProperty("User").GetProperty("FirstName").GetString(), Is.EqualTo("Ada"));
            Assert.That(body.GetProperty("User").GetProperty("UserType").GetInt32(), Is.EqualTo(1));
            Assert.That(body.GetProperty("AccountUserPermissions").GetArrayLength(), Is.EqualTo(2));
            Assert.That(body.GetProperty("AccountUserPermissions").EnumerateArray().Select(p => p.GetProperty("Permission").GetInt32()), Is.EqualTo(BothPermissions));
            Assert.That(body.GetProperty("AccountUserPermissions").EnumerateArray().Select(p => p.GetProperty("AccountUserId").GetInt64()), Is.All.EqualTo(linkId));
        });

        var located = await Host.GetAsync(reply.Headers.Location.OriginalString, Admin);
        Assert.That(located.Status, Is.EqualTo(HttpStatusCode.OK), located.ToString());
        Assert.That(located.Body, Is.EqualTo(reply.Body));
        Assert.That(await UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
        Assert.That((await CallAsync("GetUserInfo", new { UserId = userId })).GetProperty("UserType").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Post_UserAlreadyLinkedToThisAccount_Answers200WithExistingLinkAndChangesNothing()
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var (accountId, other) = (await NewAccountAsync(), await NewAccountAsync());
        await LinkAsync(userId, other);
        await LinkAsync(userId, accountId);
        var before = await DataSnapshotAsync();

        var reply = await PostLinkAsync(accountId, new { ExternalUserId = external, UserType = 3 });

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        Assert.That(reply.MediaType, Is.EqualTo("application/json"));
        Assert.That(reply.Headers.Location, Is.Null);
        var listed = await Host.GetAsync($"/accounts/{accountId}/accountUsers", Admin);
        Assert.That(listed.Json.EnumerateArray().Single(l => l.GetProperty("UserId").GetInt32() == userId).GetRawText(), Is.EqualTo(reply.Body));
        Assert.That(await DataSnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("")]
    [TestCase("\"OrverrideExistingMembership\":false,")]
    [TestCase("\"OverrideExistingMembership\":false,")]
    [TestCase("\"OverrideExistingMembership\":null,")]
    public async Task Post_UserLinkedElsewhereWithoutOverride_Answers409NamingTheAccountsAndBothKeySpellings(string flag)
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var (accountId, first, second) = (await NewAccountAsync(), await NewAccountAsync(), await NewAccountAsync());
        await LinkAsync(userId, first);
        await LinkAsync(userId, second);
        var before = await DataSnapshotAsync();

        var reply = await Host.PostAsync($"/accounts/{accountId}/accountUsers", $"{{{flag}\"ExternalUserId\":\"{external}\"}}", Admin);

        var problem = AssertProblem(reply, HttpStatusCode.Conflict,
            $"User {userId} already belongs to account(s) {first}, {second}; set OrverrideExistingMembership (as documented) or OverrideExistingMembership to true to move it");
        Assert.That(problem.GetProperty("accountIds").GetRawText(), Is.EqualTo($"[{first},{second}]"));
        Assert.That(await UserAccountsAsync(userId), Is.EqualTo($"[{first},{second}]"));
        Assert.That(await DataSnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("OrverrideExistingMembership")]
    [TestCase("OverrideExistingMembership")]
    [TestCase("orverrideexistingMEMBERSHIP")]
    public async Task Post_UserLinkedElsewhereWithOverride_MovesTheUserAndAnswers201(string flag)
    {
        var external = Unique("ext");
        var userId = await NewUserAsync(external);
        var (accountId, first, second) = (await NewAccountAsync(), await NewAccountAsync(), await NewAccountAsync());
        await LinkAsync(userId, first);
        await LinkAsync(userId, second);

        var reply = await Host.PostAsync($"/accounts/{accountId}/accountUsers", $"{{\"{flag}\":true,\"ExternalUserId\":\"{external}\"}}", Admin);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Created), reply.ToString());
        Assert.That(reply.Headers.Location?.OriginalString, Is.EqualTo($"/accounts/{accountId}/accountUsers/{reply.Json.GetProperty("Id").GetInt64()}"));
        Assert.That(await UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
        Assert.That((await CallAsync("GetUserInfo", new { UserId = userId })).GetProperty("AccountId").GetInt32(), Is.EqualTo(accountId));
        Assert.That((await Host.GetAsync($"/accounts/{first}/accountUsers", Admin)).Body, Is.EqualTo("[]"));
        var audit = await CallAsync("GetAuditLog", new { Function = "POST /accounts/{accountId}/accountUsers", Limit = 1 });
        Assert.That(audit[0].GetProperty("Change").GetString(), Is.EqualTo($"user {userId} moved from account(s) {first}, {second} to account {accountId}"));
    }

    [TestCase("999")]
    [TestCase("\"999\"")]
    public async Task Post_BodyAccountIdDiffersFromPath_Answers400(string bodyAccountId)
    {
        var external = Unique("ext");
        await NewUserAsync(external);
        var accountId = await NewAccountAsync();
        var reply = await Host.PostAsync($"/accounts/{accountId}/accountUsers", $"{{\"AccountId\":{bodyAccountId},\"ExternalUserId\":\"{external}\"}}", Admin);
        AssertProblem(reply, HttpStatusCode.BadRequest, $"The body's AccountId 999 differs from the path's accountId {accountId}");
    }

    [TestCase("{}")]
    [TestCase("{\"ExternalUserId\":\"\"}")]
    [TestCase("{\"ExternalUserId\":null,\"UserType\":1}")]
    [TestCase("")]
    public async Task Post_ExternalUserIdMissingOrEmpty_Answers400(string body)
    {
        var accountId = await NewAccountAsync();
        AssertProblem(await Host.PostAsync($"/accounts/{accountId}/accountUsers", body, Admin), HttpStatusCode.BadRequest, "ExternalUserId is required");
    }

    [TestCase("not json")]
    [TestCase("{\"ExternalUserId\":")]
    public async Task Post_BodyNotJson_Answers400(string body)
    {
        var accountId = await NewAccountAsync();
        AssertProblem(await Host.PostAsync($"/accounts/{accountId}/accountUsers", body, Admin), HttpStatusCode.BadRequest, "The body is not valid JSON");
    }

    [Test]
    public async Task Post_NoSuchAccount_Answers404()
    {
        var external = Unique("ext");
        await NewUserAsync(external);
        AssertProblem(await PostLinkAsync(999999, new { ExternalUserId = external }), HttpStatusCode.NotFound, "Account 999999 does not exist");
    }

    [Test]
    public async Task Post_NoUserWithThatExternalUserId_Answers404()
    {
        var accountId = await NewAccountAsync();
        var external = Unique("nobody");
        AssertProblem(await PostLinkAsync(accountId, new { ExternalUserId = external }), HttpStatusCode.NotFound, $"No user has ExternalUserId '{external}'");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-session-token")]
    public async Task Request_NoOrInvalidAptoken_Answers401(string? token)
    {
        const string detail = Failures.NotLoggedIn;
        AssertProblem(await Host.PostAsync("/accounts/1/accountUsers", "{\"ExternalUserId\":\"x\"}", token), HttpStatusCode.Unauthorized, detail);
        AssertProblem(await Host.GetAsync("/accounts/1/accountUsers", token), HttpStatusCode.Unauthorized, detail);
    }

    [Test]
    public async Task Request_NotOperator_Answers403AndChangesNothing()
    {
        var name = Unique("au-plain");
        var external = Unique("ext");
        var userId = await NewUserAsync(external, name);
        var token = await Host.LoginOverHttpAsync(name, "password-123");
        var before = await DataSnapshotAsync();

        AssertProblem(await PostLinkAsync(1, new { ExternalUserId = external }, token), HttpStatusCode.Forbidden,
            "POST /accounts/{accountId}/accountUsers needs one of these permissions: Operator");
        AssertProblem(await Host.GetAsync("/accounts/1/accountUsers", token), HttpStatusCode.Forbidden,
            "GET /accounts/{accountId}/accountUsers needs one of these permissions: Operator");
        Assert.That(await UserAccountsAsync(userId), Is.EqualTo("[]"));
        Assert.That(await DataSnapshotAsync(), Is.EqualTo(before));
    }

    // The tables a link changes, without the audit log (the 200 of an existing link records that nothing changed).
    private async Task<string> DataSnapshotAsync()
    {
        var snapshot = await Host.SnapshotAsync();
        return snapshot[..snapshot.IndexOf("# audit_log", StringComparison.Ordinal)];
    }
}
