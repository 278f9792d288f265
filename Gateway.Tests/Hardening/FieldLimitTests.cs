using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Hardening;

/// <summary>
/// protocol.md section 7: string values at most 256 characters (affiliate tags 32). Over the limit answers errorcode 100
/// naming the key and the limit, on every transport, and writes nothing.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class FieldLimitTests : AdminFixture
{
    private int _userId;
    private string _userName = "";

    [OneTimeSetUp]
    public async Task CreateUser()
    {
        _userName = Unique("limits");
        _userId = await Admin.CreateUserAsync(_userName);
    }

    private static string Over(string key, int length, int limit = 256) => Std.Error(100, $"{key} is {length} characters long; the limit is {limit}");

    [Test]
    public async Task SetUserInfo_StringOneOverLimit_Replies100NamingKeyAndWritesNothing()
    {
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("SetUserInfo", Json(new { UserId = _userId, FirstName = new string('x', 257) }));

        Assert.That(reply.M, Is.EqualTo(1));
        Assert.That(reply.O, Is.EqualTo(Over("FirstName", 257)));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task SetUserInfo_StringAtLimit_IsStored()
    {
        var name = new string('y', 256);

        var reply = await Admin.CallAsync("SetUserInfo", Json(new { UserId = _userId, LastName = name }));

        Assert.That(reply.Payload.GetProperty("LastName").GetString(), Is.EqualTo(name), reply.O);
        Assert.That(await Host.ScalarAsync<string>("SELECT LastName FROM users WHERE UserId = @Id", new { Id = _userId }), Is.EqualTo(name));
    }

    [Test]
    public async Task CreateUser_NestedStringOverLimit_Replies100WithPathAndCreatesNoUser()
    {
        var userName = Unique("nested");
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = userName, Password = "password-123", DisplayName = new string('d', 300) } }));

        Assert.That(reply.O, Is.EqualTo(Over("UserInfo.DisplayName", 300)));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserAPIKey_ArrayElementOverLimit_Replies100NamingTheElement()
    {
        var reply = await Admin.CallAsync("AddUserAPIKey", Json(new { UserId = _userId, Permissions = new[] { "Trading", new string('p', 1000) } }));

        Assert.That(reply.O, Is.EqualTo(Over("Permissions[1]", 1000)));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys WHERE UserId = @Id", new { Id = _userId }), Is.Zero);
    }

    [Test]
    public async Task SetUserInfo_LengthCountsCharactersNotBytesOrEscapes_AcceptsAtLimitRefusesOver()
    {
        // 256 characters outside the BMP (1024 UTF-8 bytes, 512 UTF-16 units) fit; the same as \u escapes plus one do not.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 256));
        var accepted = await Admin.CallAsync("SetUserInfo", Json(new { UserId = _userId, DisplayName = emoji }));
        Assert.That(accepted.Payload.GetProperty("DisplayName").GetString(), Is.EqualTo(emoji), accepted.O);

        var escaped = string.Concat(Enumerable.Repeat("\\u00e9", 257));
        var refused = await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{_userId},\"FirstName\":\"{escaped}\"}}");
        Assert.That(refused.O, Is.EqualTo(Over("FirstName", 257)));
    }

    [Test]
    public async Task AnonymousCall_StringOverLimit_Replies100BeforeLogin()
    {
        using var anonymous = await Host.ConnectAsync();

        var reply = await anonymous.CallAsync("AuthenticateUser", Json(new { UserName = _userName, Password = new string('p', 5000) }));

        Assert.That(reply.O, Is.EqualTo(Over("Password", 5000)));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM login_failures"), Is.Zero, "a refused login must not count as a failure");
    }

    [Test]
    public async Task AffiliateTag_Over32Characters_Replies100OnAddAndOnCreateUser()
    {
        var tag = new string('t', 33);
        var before = await Host.SnapshotAsync();

        var added = await Admin.CallAsync("AddUserAffiliateTag", Json(new { UserId = _userId, AffiliateTag = tag }));
        var created = await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("ref"), Password = "password-123" }, AffiliateTag = tag }));

        var expected = Std.Error(100, $"affiliateTag must be 1 to 32 letters, digits, '_' or '-', not '{tag}'");
        Assert.That(added.O, Is.EqualTo(expected));
        Assert.That(created.O, Is.EqualTo(expected));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task HttpCall_BodyAndQueryStringOverLimit_Answer200With100AndWriteNothing()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var before = await Host.SnapshotExceptAsync("sessions", "audit_log");

        var posted = await Host.PostAsync("/AP/SetUserInfo", Json(new { UserId = _userId, Email = new string('e', 300) + "@example.com" }), token);
        var queried = await Host.GetAsync($"/AP/GetUserInfo?UserName={new string('n', 400)}", token);

        Assert.That(posted.Status, Is.EqualTo(HttpStatusCode.OK), posted.ToString());
        Assert.That(posted.Body, Is.EqualTo(Over("Email", 312)));
        Assert.That(queried.Status, Is.EqualTo(HttpStatusCode.OK), queried.ToString());
        Assert.That(queried.Body, Is.EqualTo(Over("UserName", 400)));
        Assert.That(await Host.SnapshotExceptAsync("sessions", "audit_log"), Is.EqualTo(before));
    }

    [Test]
    public async Task AccountUsersResource_ExternalUserIdOverLimit_Answers400NamingKey()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var accountId = await Admin.AddAccountAsync();
        var before = await Host.SnapshotExceptAsync("sessions", "audit_log");

        var reply = await Host.PostAsync($"/accounts/{accountId}/accountUsers", Json(new { ExternalUserId = new string('x', 257) }), token);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.BadRequest), reply.ToString());
        Assert.That(reply.Json.GetProperty("detail").GetString(), Is.EqualTo("ExternalUserId is 257 characters long; the limit is 256"));
        Assert.That(await Host.SnapshotExceptAsync("sessions", "audit_log"), Is.EqualTo(before));
    }

    [Test]
    public async Task MaxStringLength_Configured_AppliesTheConfiguredLimit()
    {
        await using var host = await TestHost.StartAsync("--Gateway:Limits:MaxStringLength=8");
        using var admin = await host.ConnectAsync();
        // The bootstrap password is longer than 8 characters, so even logging in is refused.
        var login = await admin.CallAsync("AuthenticateUser", Json(new { UserName = "admin", Password = TestHost.AdminPassword }));
        var echo = await admin.CallAsync("TestEcho", Json(new { UserName = "exactly8" }));

        Assert.That(login.O, Is.EqualTo(Over("Password", TestHost.AdminPassword.Length, 8)));
        Assert.That(echo.Payload.GetProperty("UserName").GetString(), Is.EqualTo("exactly8"), echo.O);
    }
}
