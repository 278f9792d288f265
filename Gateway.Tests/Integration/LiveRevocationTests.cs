using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Permissions are read from the database on every call: a revocation stops the holder's very next call on every socket.</summary>
[TestFixture]
public sealed class LiveRevocationTests : HostFixture
{
    private const string Password = "password-123";

    [Test]
    [CancelAfter(60_000)]
    public async Task RevokeUserPermission_TradingOfUserWithOpenSockets_NextCallOnEverySocketAnswers20()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "revoked-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName, Password);
        using var first = await Host.ConnectAsync();
        var token = await first.LoginAsync(userName, Password);
        using var resumed = await Host.ConnectAsync();
        var resume = await resumed.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
        Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resume.O);
        using var second = await Host.ConnectAsync();
        await second.LoginAsync(userName, Password);
        TestClient[] sockets = [first, resumed, second];
        foreach (var socket in sockets)
            Assert.That((await socket.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));

        var revoke = await admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}");
        Assert.That(revoke.O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));

        foreach (var socket in sockets)
        {
            var refused = await socket.CallAsync("GetUserInfo", "{}");
            Assert.That(refused.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":"));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AddUserPermission_TradingGivenBackAfterRevocation_NextCallIsServedAgain()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, userId) = await Host.ConnectNewUserAsync(admin);
        using (user)
        {
            await admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}");
            Assert.That((await user.CallAsync("GetUserPermissions", "{}")).ErrorCode(), Is.EqualTo(20));

            var grant = await admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Trading\",\"Value\":1}}");
            Assert.That(grant.ErrorCode(), Is.Zero, grant.O);

            Assert.That((await user.CallAsync("GetUserPermissions", "{}")).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
        }
    }
}
