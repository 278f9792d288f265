using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class LoginSmokeTests : HostFixture
{
    [Test]
    public async Task AuthenticateUser_BootstrapAdmin_AnswersTheDeployedShape()
    {
        using var client = await Host.ConnectAsync();
        var payload = await client.AuthenticateAsync("admin", TestHost.AdminPassword);
        var token = payload.GetProperty("SessionToken").GetString();
        Assert.That(payload.GetRawText(), Is.EqualTo(
            "{\"Authenticated\":true,\"SessionToken\":\"" + token + "\",\"User\":{\"UserId\":1,\"UserName\":\"admin\",\"Email\":\"\",\"EmailVerified\":false,\"AccountId\":1,\"OMSId\":1,\"Use2FA\":false},\"Locked\":false,\"Requires2FA\":false,\"TwoFAType\":null,\"errormsg\":null}"));
        Assert.That(token, Has.Length.GreaterThanOrEqualTo(22));
    }

    [Test]
    public async Task CreateUser_ThenLogin_NewUserGetsDefaultPermissions()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, userId) = await Host.ConnectNewUserAsync(admin);
        using (user)
        {
            var permissions = await user.CallAsync("GetUserPermissions", "{}");
            Assert.That(permissions.O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
            var info = await user.CallAsync("GetUserInfo", "{}");
            Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(info.O, Does.Not.Contain("Password"));
        }
    }
}
