using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class ApiKeyCallTests : HostFixture
{
    [Test]
    public async Task AddUserAPIKey_OwnKey_ReturnsSecretOnceAndListsWithout()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, userId) = await Host.ConnectNewUserAsync(admin);
        using var _ = user;

        var added = await user.CallAsync("AddUserAPIKey", "{\"Permissions\":[\"trading\",\"Deposit\"]}");

        Assert.That(added.O, Does.Match($"^\\{{\"APIKey\":\"[0-9a-f]{{32}}\",\"APISecret\":\"[0-9a-f]{{64}}\",\"UserId\":{userId},\"Permissions\":\\[\"Deposit\",\"Trading\"\\]\\}}$"));
        var key = added.Payload.GetProperty("APIKey").GetString();
        var secret = added.Payload.GetProperty("APISecret").GetString()!;
        var listed = await user.CallAsync("GetUserAPIKeys", $"{{\"UserId\":{userId}}}");
        Assert.That(listed.O, Is.EqualTo($"[{{\"APIKey\":\"{key}\",\"UserId\":{userId},\"Permissions\":[\"Deposit\",\"Trading\"]}}]"));
        Assert.That(await Host.SnapshotAsync(), Does.Not.Contain(secret));
    }

    [Test]
    public async Task AddUserAPIKey_PermissionTheUserDoesNotHold_Answers100AndAddsNothing()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("nokey-" + Guid.NewGuid().ToString("N")[..8]);
        var before = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys");

        var reply = await admin.CallAsync("AddUserAPIKey", $"{{\"UserId\":{userId},\"Permissions\":[\"Trading\",\"AccountReadOnly\"]}}");

        Assert.That(reply.O, Is.EqualTo($"{{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"user {userId} does not hold AccountReadOnly; a key carries only permissions its user holds\"}}"));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserAPIKey_OwnKeyWithAPermissionTheCallerLacks_Answers20AndAddsNothing()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, _) = await Host.ConnectNewUserAsync(admin);
        using var _ = user;
        var before = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys");

        var reply = await user.CallAsync("AddUserAPIKey", "{\"Permissions\":[\"Trading\",\"AccountReadOnly\"]}");

        Assert.That(reply.O, Is.EqualTo(Std.Error(20, "You cannot give a key AccountReadOnly: this session does not hold it")));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserAPIKey_DelegateGivingAPermissionOnlyTheTargetHolds_Answers20AndAddsNothing()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (delegated, delegateId) = await Host.ConnectNewUserAsync(admin);
        using var _ = delegated;
        Assert.That((await admin.CallAsync("AddUserPermission", $"{{\"UserId\":{delegateId},\"Permission\":\"AddUserAPIKey\"}}")).O, Is.EqualTo(Std.Ok));
        Assert.That((await admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{delegateId},\"Permission\":\"Withdraw\"}}")).O, Is.EqualTo(Std.Ok));
        var targetId = await admin.CreateUserAsync("target-" + Guid.NewGuid().ToString("N")[..8]);
        var before = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys");

        var reply = await delegated.CallAsync("AddUserAPIKey", $"{{\"UserId\":{targetId},\"Permissions\":[\"Withdraw\"]}}");

        Assert.That(reply.O, Is.EqualTo(Std.Error(20, "You cannot give a key Withdraw: this session does not hold it")));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(before));
        Assert.That((await delegated.CallAsync("AddUserAPIKey", $"{{\"UserId\":{targetId},\"Permissions\":[\"Deposit\"]}}")).ErrorCode(), Is.Zero,
            "a permission both hold is still given");
    }

    [TestCase("{\"Permissions\":[]}", "AddUserAPIKey needs Permissions, e.g. [\\\"Trading\\\"]")]
    [TestCase("{\"Permissions\":[\"Trade\"]}", "Permission 'Trade' is unknown; it must be one of GetAvailablePermissionList")]
    public async Task AddUserAPIKey_BadPermissions_Answers100(string payload, string detail)
    {
        using var admin = await Host.ConnectAdminAsync();

        var reply = await admin.CallAsync("AddUserAPIKey", payload);

        Assert.That(reply.O, Is.EqualTo($"{{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"{detail}\"}}"));
    }

    [Test]
    public async Task ApiKeyCalls_TradingUserOnAnotherUser_Answer20AndChangeNothing()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, _) = await Host.ConnectNewUserAsync(admin);
        using var _ = user;
        var otherId = await admin.CreateUserAsync("other-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await admin.AddKeyAsync(otherId, "Trading");
        var before = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys");

        foreach (var (function, payload) in new[]
        {
            ("AddUserAPIKey", $"{{\"UserId\":{otherId},\"Permissions\":[\"Trading\"]}}"),
            ("GetUserAPIKeys", $"{{\"UserId\":{otherId}}}"),
            ("RemoveUserAPIKey", $"{{\"UserId\":{otherId},\"APIKey\":\"{key.Key}\"}}"),
        })
        {
            var reply = await user.CallAsync(function, payload);
            Assert.That(reply.ErrorCode(), Is.EqualTo(20), $"{function}: {reply.O}");
        }
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(before));
    }

    [Test]
    public async Task RemoveUserAPIKey_AbsentKey_Answers104()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("rm-" + Guid.NewGuid().ToString("N")[..8]);
        var key = await admin.AddKeyAsync(userId, "Trading");
        Assert.That((await admin.CallAsync("RemoveUserAPIKey", $"{{\"UserId\":{userId},\"APIKey\":\"{key.Key}\"}}")).ErrorCode(), Is.Zero);

        var again = await admin.CallAsync("RemoveUserAPIKey", $"{{\"UserId\":{userId},\"APIKey\":\"{key.Key}\"}}");

        Assert.That(again.O, Is.EqualTo($"{{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":\"user {userId} has no API key {key.Key}\"}}"));
        Assert.That((await admin.CallAsync("GetUserAPIKeys", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[]"));
    }
}
