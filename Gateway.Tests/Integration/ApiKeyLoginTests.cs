using Gateway.Core.Dispatch;
using System.Text.Json;
using Gateway.Core.Handlers.Sessions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class ApiKeyLoginTests : HostFixture
{
    private const string Refused = "{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Invalid username or password\"}";

    [TestCase(false, false, TestName = "AuthenticateUser_SignedLowerHexWithNumbers_OpensSession")]
    [TestCase(true, false, TestName = "AuthenticateUser_SignedLowerHexWithStrings_OpensSession")]
    [TestCase(false, true, TestName = "AuthenticateUser_SignedUpperHexWithNumbers_OpensSession")]
    [TestCase(true, true, TestName = "AuthenticateUser_SignedUpperHexWithStrings_OpensSession")]
    public async Task AuthenticateUser_Signed_OpensSession(bool asStrings, bool upperCase)
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        using var client = await Host.ConnectAsync();

        var reply = await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce(), asStrings, upperCase));

        Assert.That(reply.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, reply.O);
        Assert.That(reply.Payload.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(key.UserId));
        var info = await client.CallAsync("GetUserInfo");
        Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(key.UserId), info.O);
    }

    [Test]
    public async Task AuthenticateUser_SameSignedFrameOnNewSocket_IsRefusedAsReplay()
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        var payload = ApiKeys.LoginPayload(key, ApiKeys.NewNonce());
        using (var first = await Host.ConnectAsync())
            Assert.That((await first.CallAsync("AuthenticateUser", payload)).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);

        using var second = await Host.ConnectAsync();
        var replay = await second.CallAsync("AuthenticateUser", payload);

        Assert.That(replay.O, Is.EqualTo($"{{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"{Failures.Replayed}\"}}"));
        Assert.That((await second.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task AuthenticateUser_ReplaysBeyondLockoutCount_DoNotLockTheUser()
    {
        var (key, userName) = await NewUserKeyAsync("Trading");
        var payload = ApiKeys.LoginPayload(key, ApiKeys.NewNonce());
        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("AuthenticateUser", payload)).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);

        for (var attempt = 0; attempt < 6; attempt++)
            Assert.That((await client.CallAsync("AuthenticateUser", payload)).Payload.GetProperty("errormsg").GetString(), Is.EqualTo(Failures.Replayed));

        using var other = await Host.ConnectAsync();
        await other.LoginAsync(userName, "password-123");
    }

    [Test]
    public async Task AuthenticateUser_WrongSignature_IsRefused()
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        using var client = await Host.ConnectAsync();
        var forged = key with { Secret = new string('0', key.Secret.Length) };

        var reply = await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(forged, ApiKeys.NewNonce()));

        Assert.That(reply.O, Is.EqualTo(Refused));
        Assert.That((await client.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task AuthenticateUser_SignedForAnotherUserId_IsRefused()
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        using var client = await Host.ConnectAsync();

        var reply = await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key with { UserId = 1 }, ApiKeys.NewNonce()));

        Assert.That(reply.O, Is.EqualTo(Refused));
    }

    [Test]
    public async Task AuthenticateUser_RemovedKey_IsRefusedAndItsOpenSessionEnds()
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        using var keySocket = await Host.ConnectAsync();
        Assert.That((await keySocket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        using var admin = await Host.ConnectAdminAsync();

        var removed = await admin.CallAsync("RemoveUserAPIKey", JsonSerializer.Serialize(new { key.UserId, APIKey = key.Key }));
        Assert.That(removed.ErrorCode(), Is.Zero, removed.O);

        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).O, Is.EqualTo(Refused));
        var closed = await keySocket.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.That((int?)closed.CloseStatus, Is.EqualTo(1008));
    }

    [Test]
    public async Task KeySession_TradingRevokedFromItsUser_CannotTradeAnyMore()
    {
        var (key, _) = await NewUserKeyAsync("Trading");
        using var keySocket = await Host.ConnectAsync();
        Assert.That((await keySocket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        Assert.That((await keySocket.CallAsync("GetUserAPIKeys")).ErrorCode(), Is.Zero);
        using var admin = await Host.ConnectAdminAsync();

        var revoked = await admin.CallAsync("RevokeUserPermission", JsonSerializer.Serialize(new { key.UserId, Permission = "Trading" }));
        Assert.That(revoked.ErrorCode(), Is.Zero, revoked.O);

        var next = await keySocket.CallAsync("GetUserAPIKeys");
        Assert.That(next.ErrorCode(), Is.EqualTo(20), next.O);
        using var fresh = await Host.ConnectAsync();
        Assert.That((await fresh.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        Assert.That((await fresh.CallAsync("GetUserAPIKeys")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task KeySession_KeyWithoutTrading_HoldsOnlyTheKeysPermissions()
    {
        var (key, _) = await NewUserKeyAsync("Deposit");
        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);

        var reply = await client.CallAsync("GetUserAPIKeys");

        Assert.That(reply.ErrorCode(), Is.EqualTo(20), reply.O);
    }

    private async Task<(TestApiKey Key, string UserName)> NewUserKeyAsync(params string[] permissions)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "key-user-" + Guid.NewGuid().ToString("N")[..8];
        var userId = await admin.CreateUserAsync(userName);
        return (await admin.AddKeyAsync(userId, permissions), userName);
    }
}
