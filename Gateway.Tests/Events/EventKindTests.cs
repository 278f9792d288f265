using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Events;

/// <summary>Each event kind of protocol.md section 10: a change made on an operator's socket reaches the user's subscribed socket, frame exact.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class EventKindTests : AdminFixture
{
    private static readonly string[] Head = ["Sequence", "PrevSequence", "UserId", "Function", "Time"];
    private static readonly string[] KeyRemovedThenDeactivated = ["KeyRemoved", "Deactivated"];

    private async Task<(TestClient Client, int UserId, long Sequence)> SubscribedUserAsync()
    {
        var (client, userId) = await Host.ConnectNewUserAsync(Admin);
        var sequence = await client.SubscribeAsync();
        return (client, userId, sequence);
    }

    private static async Task<ReplyFrame> ExpectEventAsync(TestClient client, string name, string function, int userId, long after, params string[] fields)
    {
        var frame = await client.NextEventAsync();
        Assert.That(frame.N, Is.EqualTo(name), frame.Raw);
        Assert.That(frame.Keys(), Is.EqualTo(Head.Concat(fields)), frame.Raw);
        Assert.That(frame.Sequence(), Is.GreaterThan(after));
        Assert.That(frame.PrevSequence(), Is.Zero, "the first event of a stream without FromSequence follows 0");
        Assert.That(frame.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(frame.Payload.GetProperty("Function").GetString(), Is.EqualTo(function));
        Assert.That(DateTimeOffset.TryParse(frame.Payload.GetProperty("Time").GetString(), out _), Is.True, frame.Raw);
        Assert.That(frame.Raw, Does.StartWith("{\"m\":3,\"i\":0,\"n\":\"" + name + "\",\"o\":\"{"));
        return frame;
    }

    [Test]
    public async Task Permission_GrantedByOperator_UserPermissionsEventWithTheFullList()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;

        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");

        var frame = await ExpectEventAsync(client, "UserPermissionsEvent", "AddUserPermission", userId, sequence, "Permissions");
        Assert.That(frame.Payload.GetProperty("Permissions").Json(), Is.EqualTo("[\"AccountReadOnly\",\"Deposit\",\"Trading\",\"Withdraw\"]"));
    }

    [Test]
    public async Task Link_AddedAndRemoved_UserAccountsEventEachWithTheListNow()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;
        var account = (await Admin.CallAsync("AddAccount", $"{{\"AccountName\":\"ev-{Guid.NewGuid():N}\"}}")).Payload.GetProperty("Id").GetInt32();

        await Admin.CallAsync("AddUserAccount", $"{{\"AccountId\":{account},\"UserId\":{userId}}}");
        await Admin.CallAsync("RemoveUserAccount", $"{{\"AccountId\":{account},\"UserId\":{userId}}}");

        var added = await ExpectEventAsync(client, "UserAccountsEvent", "AddUserAccount", userId, sequence, "AccountIds");
        Assert.That(added.Payload.GetProperty("AccountIds").EnumerateArray().Select(a => a.GetInt32()), Does.Contain(account));
        var removed = await client.NextEventAsync();
        Assert.That((removed.N, removed.PrevSequence()), Is.EqualTo(("UserAccountsEvent", added.Sequence())));
        Assert.That(removed.Payload.GetProperty("Function").GetString(), Is.EqualTo("RemoveUserAccount"));
        Assert.That(removed.Payload.GetProperty("AccountIds").EnumerateArray().Select(a => a.GetInt32()), Does.Not.Contain(account));
    }

    [Test]
    public async Task Tag_AddedThenRemoved_AffiliateTagEventsTheLastWithNullTag()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];

        await Admin.CallAsync("AddUserAffiliateTag", $"{{\"UserId\":{userId},\"AffiliateTag\":\"{tag}\"}}");
        await Admin.CallAsync("RemoveUserAffiliateTag", $"{{\"UserId\":{userId}}}");

        var added = await ExpectEventAsync(client, "AffiliateTagEvent", "AddUserAffiliateTag", userId, sequence, "AffiliateId", "AffiliateTag");
        Assert.That(added.Payload.GetProperty("AffiliateTag").GetString(), Is.EqualTo(tag));
        var removed = await client.NextEventAsync();
        Assert.That(removed.Keys(), Is.EqualTo(Head.Append("AffiliateId").Append("AffiliateTag")));
        Assert.That(removed.Payload.GetProperty("AffiliateId").GetInt32(), Is.EqualTo(added.Payload.GetProperty("AffiliateId").GetInt32()));
        Assert.That(removed.Payload.GetProperty("AffiliateTag").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task UserInfo_SetByOperator_UserInfoEventWithUserAsGetUserInfoAnswers()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;

        await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Email\":\"ev@example.com\"}}");

        var frame = await ExpectEventAsync(client, "UserInfoEvent", "SetUserInfo", userId, sequence, "User");
        var info = await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}");
        Assert.That(frame.Payload.GetProperty("User").Json(), Is.EqualTo(info.O));
    }

    [Test]
    public async Task ApiKey_AddedByOperator_ApiKeysEventWithoutSecrets()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;

        var added = await Admin.CallAsync("AddUserAPIKey", $"{{\"UserId\":{userId},\"Permissions\":[\"Trading\"]}}");

        var frame = await ExpectEventAsync(client, "ApiKeysEvent", "AddUserAPIKey", userId, sequence, "APIKeys");
        var keys = await Admin.CallAsync("GetUserAPIKeys", $"{{\"UserId\":{userId}}}");
        Assert.That(frame.Payload.GetProperty("APIKeys").Json(), Is.EqualTo(keys.O));
        Assert.That(frame.O, Does.Not.Contain(added.Payload.GetProperty("APISecret").GetString()));
    }

    [Test]
    public async Task Session_LoggedOutOnAnotherSocket_SessionEndedEventReasonLogOut()
    {
        var userName = "ev-" + Guid.NewGuid().ToString("N")[..10];
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, userName);
        using var _ = client;
        var sequence = await client.SubscribeAsync("{}", m: 0);
        using var other = await Host.ConnectAsync();
        await other.LoginAsync(userName, "password-123");

        await other.CallAsync("LogOut");

        var frame = await ExpectEventAsync(client, "SessionEndedEvent", "LogOut", userId, sequence, "Reason");
        Assert.That(frame.Payload.GetProperty("Reason").GetString(), Is.EqualTo("LogOut"));
    }

    [Test]
    public async Task UserConfig_SetByOperator_UserConfigEventWithTheConfigNow()
    {
        var (client, userId, sequence) = await SubscribedUserAsync();
        using var _ = client;

        await Admin.CallAsync("SetUserConfig", $"{{\"UserId\":{userId},\"Config\":[{{\"Key\":\"Language\",\"Value\":\"en\"}}]}}");

        var frame = await ExpectEventAsync(client, "UserConfigEvent", "SetUserConfig", userId, sequence, "UserConfig");
        var config = await Admin.CallAsync("GetUserConfig", $"{{\"UserId\":{userId}}}");
        Assert.That(frame.Payload.GetProperty("UserConfig").Json(), Is.EqualTo(config.O));
    }

    [Test]
    public async Task Account_UpdatedAndConfigured_AccountEventsReachTheLinkedUserAndTheAllUsersStream()
    {
        var (client, userId, _) = await SubscribedUserAsync();
        using var _client = client;
        var account = (await Admin.CallAsync("AddAccount", $"{{\"AccountName\":\"ev-{Guid.NewGuid():N}\"}}")).Payload.GetProperty("Id").GetInt32();
        await Admin.CallAsync("AddUserAccount", $"{{\"AccountId\":{account},\"UserId\":{userId}}}");
        var linked = await client.NextEventAsync();
        Assert.That(linked.N, Is.EqualTo("UserAccountsEvent"), linked.Raw);
        using var dashboard = await Host.ConnectAdminAsync();
        await dashboard.SubscribeAsync("{\"UserId\":0}");

        Assert.That((await Admin.CallAsync("UpdateAccount", $"{{\"AccountId\":{account},\"VerificationLevel\":2}}")).ErrorCode(), Is.Zero);
        Assert.That((await Admin.CallAsync("SetAccountConfig", $"{{\"AccountId\":{account},\"Config\":[{{\"Key\":\"Desk\",\"Value\":\"otc\"}}]}}")).ErrorCode(), Is.Zero);

        var info = await client.NextEventAsync();
        Assert.That(info.N, Is.EqualTo("AccountInfoEvent"), info.Raw);
        Assert.That(info.Keys(), Is.EqualTo(Head.Append("AccountId").Append("Account")), info.Raw);
        Assert.That((info.PrevSequence(), info.Payload.GetProperty("UserId").GetInt32(), info.Payload.GetProperty("AccountId").GetInt32()),
            Is.EqualTo((linked.Sequence(), userId, account)));
        Assert.That(info.Payload.GetProperty("Account").Json(), Is.EqualTo((await Admin.CallAsync("GetAccountInfo", $"{{\"AccountId\":{account}}}")).O));
        var config = await client.NextEventAsync();
        Assert.That(config.N, Is.EqualTo("AccountConfigEvent"), config.Raw);
        Assert.That(config.Keys(), Is.EqualTo(Head.Append("AccountId").Append("AccountConfig")), config.Raw);
        Assert.That(config.Payload.GetProperty("AccountConfig").Json(), Is.EqualTo((await Admin.CallAsync("GetAccountConfig", $"{{\"AccountId\":{account}}}")).O));
        var all = new[] { await dashboard.NextEventAsync(), await dashboard.NextEventAsync() };
        Assert.That(all.Select(e => (e.N, e.Sequence(), e.Payload.GetProperty("UserId").GetInt32())),
            Is.EqualTo(new[] { ("AccountInfoEvent", info.Sequence(), 0), ("AccountConfigEvent", config.Sequence(), 0) }),
            "the all-users stream carries each account event once, for no one user");
    }

    [Test]
    public async Task Session_EndedByDeactivationAndKeyRemoval_SessionEndedEventsWithTheirReasons()
    {
        var userName = "ev-" + Guid.NewGuid().ToString("N")[..10];
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, userName);
        using var _ = client;
        var key = await Admin.AddKeyAsync(userId, "Trading");
        using var keySocket = await Host.ConnectAsync();
        Assert.That((await keySocket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        using var watcher = await Host.ConnectAdminAsync();
        await watcher.SubscribeAsync($"{{\"UserId\":{userId}}}");

        Assert.That((await Admin.CallAsync("RemoveUserAPIKey", $"{{\"UserId\":{userId},\"APIKey\":\"{key.Key}\"}}")).ErrorCode(), Is.Zero);
        Assert.That((await Admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Active\":false}}")).ErrorCode(), Is.Zero);

        var events = new List<ReplyFrame>();
        for (var n = 0; n < 4; n++)
            events.Add(await watcher.NextEventAsync());
        Assert.That(events.Select(e => (e.N, e.Payload.GetProperty("Function").GetString())), Is.EqualTo(new[]
        {
            ("ApiKeysEvent", "RemoveUserAPIKey"), ("SessionEndedEvent", "SessionEnded"), ("UserInfoEvent", "SetUserInfo"), ("SessionEndedEvent", "SessionEnded"),
        }));
        Assert.That(new[] { events[1], events[3] }.Select(e => e.Payload.GetProperty("Reason").GetString()), Is.EqualTo(KeyRemovedThenDeactivated));
        Assert.That(events.Select(e => e.Sequence()), Is.Ordered.Ascending);
    }
}
