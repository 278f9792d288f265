using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Safety;

/// <summary>protocol.md 9.1: a write call with a ClientRequestId runs once; a repeat answers its first reply byte for byte.</summary>
[TestFixture]
public sealed class ClientRequestIdTests : AdminFixture
{
    private static string Id() => "req-" + Guid.NewGuid().ToString("N");

    private static string CreateUser(string userName, string? requestId) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["UserInfo"] = new { UserName = userName, Password = "password-123" },
        ["ClientRequestId"] = requestId,
    });

    private Task<long> UsersNamedAsync(string userName) => Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @UserName", new { UserName = userName });

    private Task<long> AuditRowsAsync(string function) => Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Function = @Function", new { Function = function });

    [Test]
    [CancelAfter(60_000)]
    public async Task CreateUser_FiftyConcurrentRepeatsOnFiveSockets_OneUserOneAuditRowFiftyIdenticalReplies(CancellationToken ct)
    {
        var userName = AccountSteps.Unique("once");
        var payload = CreateUser(userName, Id());
        var sockets = new List<TestClient>();
        try
        {
            for (var s = 0; s < 5; s++)
                sockets.Add(await Host.ConnectAdminAsync());
            var auditBefore = await AuditRowsAsync("CreateUser");

            var replies = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => sockets[n % 5].CallAsync("CreateUser", payload))).WaitAsync(ct);

            Assert.That(replies.Select(r => r.O).Distinct().ToList(), Has.Count.EqualTo(1), "every repeat answers the same bytes");
            Assert.That(replies[0].Payload.GetProperty("result").GetBoolean(), Is.True, replies[0].O);
            Assert.That(await UsersNamedAsync(userName), Is.EqualTo(1));
            Assert.That(await AuditRowsAsync("CreateUser"), Is.EqualTo(auditBefore + 1));
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }

    [Test]
    public async Task CreateUser_WithoutClientRequestId_RepeatRunsAgainAndIsRefused()
    {
        var userName = AccountSteps.Unique("twice");
        var first = await Admin.CallAsync("CreateUser", CreateUser(userName, null));
        var second = await Admin.CallAsync("CreateUser", CreateUser(userName, null));

        Assert.That(first.ErrorCode(), Is.Zero, first.O);
        Assert.That(second.ErrorCode(), Is.EqualTo(101), "without an id a repeat is a new call");
    }

    [Test]
    public async Task Repeat_SameFunctionAndPayload_AnswersStoredReplyAndChangesNothing()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("grant"));
        var payload = $"{{\"UserId\":{userId},\"Permission\":\"GetAuditLog\",\"ClientRequestId\":\"{Id()}\"}}";
        var first = await Admin.CallAsync("AddUserPermission", payload);
        var before = await Host.SnapshotExceptAsync("sessions");

        var repeat = await Admin.CallAsync("AddUserPermission", payload);

        Assert.That(repeat.O, Is.EqualTo(first.O));
        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before), "a repeat writes nothing, not even an audit row");
    }

    [Test]
    public async Task Repeat_KeysInOtherCaseAndOrderAndSpacing_CountsAsTheSameRequest()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("canon"));
        var id = Id();
        var first = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Deposit\",\"Value\":0,\"ClientRequestId\":\"{id}\"}}");
        var auditBefore = await Audit.CountAsync(Host);

        var repeat = await Admin.CallAsync("adduserpermission", $"{{ \"clientrequestid\" : \"{id}\", \"value\" : 0, \"PERMISSION\" : \"Deposit\", \"userid\" : {userId} }}");

        Assert.That(repeat.O, Is.EqualTo(first.O));
        Assert.That(await Audit.CountAsync(Host), Is.EqualTo(auditBefore));
    }

    [Test]
    public async Task Repeat_DifferentPayload_Answers101NamingTheId()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("differ"));
        var id = Id();
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Deposit\",\"Value\":0,\"ClientRequestId\":\"{id}\"}}");
        var before = await Host.SnapshotExceptAsync("sessions");

        // "3" is not 3: values are compared exactly as sent.
        var asString = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":\"{userId}\",\"Permission\":\"Deposit\",\"Value\":0,\"ClientRequestId\":\"{id}\"}}");
        var otherFunction = await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Deposit\",\"Value\":0,\"ClientRequestId\":\"{id}\"}}");

        var expected = Std.Error(101, $"ClientRequestId '{id}' was already used for a different request");
        Assert.That(asString.O, Is.EqualTo(expected));
        Assert.That(otherFunction.O, Is.EqualTo(expected));
        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before));
    }

    [Test]
    public async Task Refusal_104_IsStoredSoTheRepeatDoesNotRetryIt()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("refused"));
        var accountId = await Admin.AddAccountAsync();
        var payload = $"{{\"accountId\":{accountId},\"userId\":{userId},\"ClientRequestId\":\"{Id()}\"}}";
        var first = await Admin.CallAsync("RemoveUserAccount", payload);
        Assert.That(first.ErrorCode(), Is.EqualTo(104), first.O);
        await Admin.LinkAsync(userId, accountId);

        var repeat = await Admin.CallAsync("RemoveUserAccount", payload);

        Assert.That(repeat.O, Is.EqualTo(first.O));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"), "the stored refusal answered; the link stays");
    }

    [Test]
    public async Task SameId_TwoUsers_DoNotCollide()
    {
        var id = Id();
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var mine = await user.CallAsync("AddUserAffiliateTag", $"{{\"affiliateTag\":\"{AccountSteps.Unique("t")}\",\"ClientRequestId\":\"{id}\"}}");
            var operatorUser = await Admin.CreateUserAsync(AccountSteps.Unique("other"));
            var theirs = await Admin.CallAsync("AddUserAffiliateTag", $"{{\"userId\":{operatorUser},\"affiliateTag\":\"{AccountSteps.Unique("u")}\",\"ClientRequestId\":\"{id}\"}}");

            Assert.That(mine.ErrorCode(), Is.Zero, mine.O);
            Assert.That(theirs.ErrorCode(), Is.Zero, theirs.O);
            Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM client_requests WHERE RequestId = @id", new { id }), Is.EqualTo(2));
            Assert.That(userId, Is.Positive);
        }
    }

    [TestCase("\"\"", 0)]
    [TestCase("null", 0)]
    [TestCase("5", 100)]
    [TestCase("true", 100)]
    [TestCase("\"tab\\there\"", 100)]
    [TestCase("\"é\"", 100)]
    [TestCase("\"0123456789012345678901234567890123456789012345678901234567890123\"", 0)]
    [TestCase("\"01234567890123456789012345678901234567890123456789012345678901234\"", 100)]
    public async Task ClientRequestId_Values_OutsideTheRuleAnswer100AndRunNothing(string value, int code)
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("idrule"));
        var reply = await Admin.CallAsync("UnLockUser", $"{{\"UserId\":{userId},\"ClientRequestId\":{value}}}");

        Assert.That(reply.ErrorCode(), Is.EqualTo(code), reply.O);
        if (code == 100)
            Assert.That(reply.O, Is.EqualTo(Std.Error(100, "ClientRequestId must be a string of 1 to 64 printable ASCII characters")));
    }

    [Test]
    public async Task IdempotencyKeyHeader_OverHttp_ActsAsTheClientRequestId()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var userName = AccountSteps.Unique("header");
        var id = Id();

        var first = await PostWithKeyAsync("/AP/CreateUser", CreateUser(userName, null), token, id);
        var repeat = await PostWithKeyAsync("/AP/CreateUser", CreateUser(userName, null), token, id);
        var sameInBoth = await PostWithKeyAsync("/AP/CreateUser", CreateUser(userName, id), token, id);

        Assert.That(first.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(first.Json.GetProperty("result").GetBoolean(), Is.True, first.ToString());
        Assert.That(repeat.Body, Is.EqualTo(first.Body));
        Assert.That(sameInBoth.Body, Is.EqualTo(first.Body));
        Assert.That(await UsersNamedAsync(userName), Is.EqualTo(1));
    }

    [Test]
    public async Task IdempotencyKeyHeader_DiffersFromPayloadKey_Answers100AndNothingRuns()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var userName = AccountSteps.Unique("conflict");

        var reply = await PostWithKeyAsync("/AP/CreateUser", CreateUser(userName, Id()), token, Id());

        Assert.That(reply.Body, Is.EqualTo(Std.Error(100, "ClientRequestId and the Idempotency-Key header differ; send one of them, or the same id in both")));
        Assert.That(await UsersNamedAsync(userName), Is.Zero);
    }

    [Test]
    public async Task StoredReply_InTheDatabase_HoldsNeitherTheApiSecretNorThePassword()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("sealed"));
        var id = Id();
        var key = await Admin.CallAsync("AddUserAPIKey", $"{{\"UserId\":{userId},\"Permissions\":[\"Trading\"],\"ClientRequestId\":\"{id}\"}}");
        var secret = key.Payload.GetProperty("APISecret").GetString()!;
        var repeat = await Admin.CallAsync("AddUserAPIKey", $"{{\"UserId\":{userId},\"Permissions\":[\"Trading\"],\"ClientRequestId\":\"{id}\"}}");

        Assert.That(repeat.O, Is.EqualTo(key.O), "the repeat shows the same key and secret");
        var stored = await Host.ScalarAsync<byte[]>("SELECT Reply FROM client_requests WHERE RequestId = @id", new { id });
        Assert.That(System.Text.Encoding.UTF8.GetString(stored), Does.Not.Contain(secret));
        Assert.That(Convert.ToHexString(stored), Does.Not.Contain(Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(secret[..16]))));
    }

    private Task<HttpReply> PostWithKeyAsync(string path, string body, string token, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, path)) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Host.SendAsync(request, token);
    }
}
