using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>CreateUser, GetUserInfo, SetUserInfo and UnLockUser (calls.md "Users"), each write audited once without secrets.</summary>
[TestFixture]
public sealed class UserCallTests : AdminFixture
{

    private static string NewName() => "users-" + Guid.NewGuid().ToString("N")[..10];

    // The address first, then its verification: a request that changes Email leaves it unverified.
    private async Task<ReplyFrame> SetVerifiedEmailAsync(int userId, string email)
    {
        await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = email }));
        return await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, EmailVerified = true }));
    }

    [Test]
    public async Task CreateUser_NewUser_ReturnsUserIdWithDefaultPermissionsAndOneAuditRecordWithoutPassword()
    {
        const string password = "create-user-secret-1";
        var userName = NewName();
        var before = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Password = password, FirstName = "Ann" } }));

        Assert.That(reply.O, Does.Match("^\\{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"UserId\":\\d+\\}$"));
        var userId = reply.Payload.GetProperty("UserId").GetInt32();
        var record = await Audit.AssertOneRecordAsync(Host, Admin, before, "CreateUser", password);
        Assert.That(record.GetProperty("UserId").GetInt32(), Is.EqualTo(1));
        Assert.That(record.GetProperty("Payload").GetProperty("UserInfo").GetProperty("UserName").GetString(), Is.EqualTo(userName));
        Assert.That((await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
        using var client = await Host.ConnectAsync();
        Assert.That((await client.AuthenticateAsync(userName, password)).GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(await Host.ScalarAsync<string>("SELECT PasswordHash FROM users WHERE UserId = @userId", new { userId }), Does.Not.Contain(password));
    }

    [Test]
    public async Task CreateUser_TakenUserNameInOtherCase_Answers101AndAddsNoUser()
    {
        var userName = NewName();
        await Admin.CreateUserAsync(userName);
        var users = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users");

        var reply = await Admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = userName.ToUpperInvariant(), Password = "password-123" } }));

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Operation Failed\",\"errorcode\":101,\"detail\":"));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users"), Is.EqualTo(users));
    }

    [Test]
    public async Task GetUserInfo_EmptyPayload_AnswersTheCaller()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var info = await user.CallAsync("GetUserInfo", "{}");

            Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(info.O, Does.Not.Contain("Password"));
        }
    }

    [Test]
    public async Task GetUserInfo_ExtraKeysSuchAsPassword_AreIgnored()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var plain = await user.CallAsync("GetUserInfo", "{}");

            var withExtras = await user.CallAsync("GetUserInfo", "{\"Password\":\"whatever-it-is\",\"Foo\":[1,2],\"OMSId\":1}");

            Assert.That(withExtras.O, Is.EqualTo(plain.O));
            Assert.That(withExtras.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        }
    }

    [Test]
    public async Task GetUserInfo_UnknownUserAsOperator_Answers104()
    {
        var reply = await Admin.CallAsync("GetUserInfo", "{\"UserId\":999999}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":"));
    }

    [Test]
    public async Task SetUserInfo_OwnProfileFields_AnswersUpdatedUserStoresItAndAuditsOnceWithoutPassword()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var before = await Audit.CountAsync(Host);

            var reply = await user.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"FirstName\":\"Ann\",\"LastName\":\"Lee\",\"Password\":\"set-user-info-secret\"}}");

            Assert.That(reply.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), reply.O);
            Assert.That(reply.Payload.GetProperty("FirstName").GetString(), Is.EqualTo("Ann"));
            Assert.That(reply.Payload.GetProperty("LastName").GetString(), Is.EqualTo("Lee"));
            Assert.That((await user.CallAsync("GetUserInfo", "{}")).O, Is.EqualTo(reply.O));
            var record = await Audit.AssertOneRecordAsync(Host, Admin, before, "SetUserInfo", "set-user-info-secret");
            Assert.That(record.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(record.GetProperty("SessionId").GetString(), Is.Not.Empty, "the record names the caller's session");
            Assert.That(record.GetProperty("Payload").GetProperty("FirstName").GetString(), Is.EqualTo("Ann"));
        }
    }

    [Test]
    public async Task SetUserInfo_OperatorSetsEmailVerified_AnswersUpdatedUser()
    {
        var userId = await Admin.CreateUserAsync(NewName());

        var reply = await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"EmailVerified\":true}}");

        Assert.That(reply.Payload.GetProperty("EmailVerified").GetBoolean(), Is.True, reply.O);
    }

    [Test]
    public async Task SetUserInfo_TradingUserSetsOwnExternalUserId_Answers20AndTheAccountUsersPostDoesNotLinkIt()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            var external = "crm-" + Guid.NewGuid().ToString("N")[..10];
            var before = await Host.SnapshotAsync();

            var reply = await user.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, ExternalUserId = external }));

            Assert.That(reply.O, Is.EqualTo(Std.Error(20, "Only an Operator may change Email or ExternalUserId")));
            Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
            var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
            var post = await Host.PostAsync("/accounts/1/accountUsers", JsonSerializer.Serialize(new { ExternalUserId = external }), token);
            Assert.That(post.Status, Is.EqualTo(System.Net.HttpStatusCode.NotFound), post.ToString());
            Assert.That((await Admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[]"));
        }
    }

    [Test]
    public async Task SetUserInfo_TradingUserChangesOwnEmail_Answers20AndKeepsEmail()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            await SetVerifiedEmailAsync(userId, $"old-{userId}@example.com");

            var reply = await user.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = $"new-{userId}@example.com" }));

            Assert.That(reply.O, Is.EqualTo(Std.Error(20, "Only an Operator may change Email or ExternalUserId")));
            var info = (await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload;
            Assert.That(info.GetProperty("Email").GetString(), Is.EqualTo($"old-{userId}@example.com"));
            Assert.That(info.GetProperty("EmailVerified").GetBoolean(), Is.True);
        }
    }

    [Test]
    public async Task SetUserInfo_TradingUserSendsBackTheObjectItRead_Succeeds()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = $"own-{userId}@example.com", ExternalUserId = $"crm-own-{userId}" }));
            var read = await user.CallAsync("GetUserInfo", "{}");
            var sentBack = read.O.Replace("\"FirstName\":\"\"", "\"FirstName\":\"Ann\"", StringComparison.Ordinal);

            var reply = await user.CallAsync("SetUserInfo", sentBack);

            Assert.That(reply.Payload.GetProperty("FirstName").GetString(), Is.EqualTo("Ann"), reply.O);
            Assert.That(reply.Payload.GetProperty("Email").GetString(), Is.EqualTo($"own-{userId}@example.com"));
            Assert.That(reply.Payload.GetProperty("ExternalUserId").GetString(), Is.EqualTo($"crm-own-{userId}"));
        }
    }

    [Test]
    public async Task SetUserInfo_HolderOfSetUserInfoPermissionChangesAnotherUsersEmailOrExternalUserId_Answers20()
    {
        var (deputy, deputyId) = await Host.ConnectNewUserAsync(Admin);
        using (deputy)
        {
            await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{deputyId},\"Permission\":\"SetUserInfo\"}}");
            var target = await Admin.CreateUserAsync(NewName());

            var profile = await deputy.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = target, FirstName = "Delegated" }));
            var email = await deputy.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = target, Email = $"d-{target}@example.com" }));
            var external = await deputy.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = target, ExternalUserId = $"crm-d-{target}" }));

            Assert.That(profile.Payload.GetProperty("FirstName").GetString(), Is.EqualTo("Delegated"), profile.O);
            Assert.That(email.O, Is.EqualTo(Std.Error(20, "Only an Operator may change Email or ExternalUserId")));
            Assert.That(external.O, Is.EqualTo(Std.Error(20, "Only an Operator may change Email or ExternalUserId")));
        }
    }

    [Test]
    public async Task SetUserInfo_OperatorChangesEmail_ClearsEmailVerified()
    {
        var userId = await Admin.CreateUserAsync(NewName());
        var verified = await SetVerifiedEmailAsync(userId, $"a-{userId}@example.com");

        var reply = await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = $"b-{userId}@example.com" }));

        Assert.That(verified.Payload.GetProperty("EmailVerified").GetBoolean(), Is.True, verified.O);
        Assert.That(reply.Payload.GetProperty("Email").GetString(), Is.EqualTo($"b-{userId}@example.com"), reply.O);
        Assert.That(reply.Payload.GetProperty("EmailVerified").GetBoolean(), Is.False);
        Assert.That(await Host.ScalarAsync<bool>("SELECT EmailVerified FROM users WHERE UserId = @userId", new { userId }), Is.False);
    }

    [Test]
    public async Task SetUserInfo_OperatorChangesEmailAndSendsEmailVerifiedTrue_ClearsEmailVerified()
    {
        var userId = await Admin.CreateUserAsync(NewName());
        await SetVerifiedEmailAsync(userId, $"a-{userId}@example.com");

        var reply = await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = $"b-{userId}@example.com", EmailVerified = true }));

        Assert.That(reply.Payload.GetProperty("EmailVerified").GetBoolean(), Is.False, reply.O);
    }

    [Test]
    public async Task SetUserInfo_OperatorSendsTheSameEmail_KeepsEmailVerified()
    {
        var userId = await Admin.CreateUserAsync(NewName());
        await SetVerifiedEmailAsync(userId, $"a-{userId}@example.com");

        var reply = await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Email = $"a-{userId}@example.com", FirstName = "Ann" }));

        Assert.That(reply.Payload.GetProperty("EmailVerified").GetBoolean(), Is.True, reply.O);
    }

    [Test]
    public async Task UnLockUser_ExistingUser_AnswersStdAndAuditsOnce()
    {
        var userId = await Admin.CreateUserAsync(NewName());
        var before = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("UnLockUser", $"{{\"UserId\":{userId}}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        await Audit.AssertOneRecordAsync(Host, Admin, before, "UnLockUser");
    }

    [Test]
    public async Task UnLockUser_UnknownUser_Answers104()
    {
        var reply = await Admin.CallAsync("UnLockUser", "{\"UserId\":999999}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":"));
    }
}
