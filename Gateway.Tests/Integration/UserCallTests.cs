using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>CreateUser, GetUserInfo, SetUserInfo and UnLockUser (calls.md "Users"), each write audited once without secrets.</summary>
[TestFixture]
public sealed class UserCallTests : AdminFixture
{

    private static string NewName() => "users-" + Guid.NewGuid().ToString("N")[..10];

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
