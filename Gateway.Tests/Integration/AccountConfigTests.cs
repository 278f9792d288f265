using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>GetAccountConfig, SetAccountConfig and RemoveAccountConfig (calls-next.md, account config), over the socket and over HTTP.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AccountConfigTests : AdminFixture
{
    private string _adminToken = null!;

    [OneTimeSetUp]
    public async Task LogInOverHttp() => _adminToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    private Task<string> AdminBothAsync(string function, object payload) => Host.CallBothAsync(Admin, _adminToken, function, Json(payload));

    private static object Item(string key, object? value) => new { Key = key, Value = value };

    private async Task<string> ConfigOfAsync(int accountId) => (await Admin.CallAsync("GetAccountConfig", Json(new { AccountId = accountId }))).O;

    // A Trading user linked to a new account of its own.
    private async Task<(TestClient Client, string Token, int AccountId, string Handle)> LinkedTraderAsync()
    {
        var name = Unique("acfg");
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, name);
        var handle = Unique("desk");
        var accountId = await Admin.AddAccountAsync(handle);
        await Admin.LinkAsync(userId, accountId);
        return (client, await Host.LoginOverHttpAsync(name, "password-123"), accountId, handle);
    }

    [Test]
    public async Task SetAccountConfig_OneItemObjectOrArray_IsReadByIdOrHandle()
    {
        var handle = Unique("cfg");
        var accountId = await Admin.AddAccountAsync(handle);

        Assert.That(await AdminBothAsync("SetAccountConfig", new { OMSId = 1, AccountId = accountId, Config = Item("k", "v") }), Is.EqualTo(Std.Ok));
        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountHandle = handle.ToUpperInvariant(), Config = new[] { Item("Desk", "fx"), Item("a", 1) } }), Is.EqualTo(Std.Ok));

        const string All = "[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\"Desk\",\"Value\":\"fx\"},{\"Key\":\"k\",\"Value\":\"v\"}]";
        Assert.That(await AdminBothAsync("GetAccountConfig", new { OMSId = 1, AccountId = accountId }), Is.EqualTo(All));
        Assert.That(await AdminBothAsync("GetAccountConfig", new { AccountHandle = handle }), Is.EqualTo(All));
        Assert.That(await AdminBothAsync("GetAccountConfig", new { AccountId = accountId, AccountHandle = handle }), Is.EqualTo(All));
    }

    [TestCase("GetAccountConfig")]
    [TestCase("SetAccountConfig")]
    [TestCase("RemoveAccountConfig")]
    public async Task AccountConfig_NoAccountNamed_Answers100(string function)
    {
        Assert.That(await Host.CallBothAsync(Admin, _adminToken, function, "{\"OMSId\":1,\"Config\":{\"Key\":\"k\",\"Value\":\"v\"},\"Key\":\"k\"}"),
            Is.EqualTo(Std.Error(100, "AccountId or AccountHandle is required")));
    }

    [Test]
    public async Task AccountConfig_UnknownOrMismatchedAccount_Answers104Or100()
    {
        var first = await Admin.AddAccountAsync();
        var secondHandle = Unique("second");
        await Admin.AddAccountAsync(secondHandle);

        Assert.That(await AdminBothAsync("GetAccountConfig", new { AccountId = 987654 }), Is.EqualTo(Std.Error(104, "accountId 987654 does not exist")));
        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountHandle = "no-such-desk", Config = Item("k", "v") }), Is.EqualTo(Std.Error(104, "accountHandle 'no-such-desk' does not exist")));
        Assert.That(await AdminBothAsync("RemoveAccountConfig", new { AccountId = first, AccountHandle = secondHandle, Key = "k" }),
            Is.EqualTo(Std.Error(100, "AccountId and AccountHandle name different accounts")));
    }

    [Test]
    public async Task RemoveAccountConfig_KeyNotSet_Answers104_AndASetKeyIsRemoved()
    {
        var accountId = await Admin.AddAccountAsync();
        await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("k", "v") }));

        Assert.That(await AdminBothAsync("RemoveAccountConfig", new { AccountId = accountId, Key = "other" }),
            Is.EqualTo(Std.Error(104, $"config key 'other' is not set for accountId {accountId}")));
        Assert.That((await Admin.CallAsync("RemoveAccountConfig", Json(new { AccountId = accountId, Key = "K" }))).O, Is.EqualTo(Std.Ok));
        Assert.That(await ConfigOfAsync(accountId), Is.EqualTo("[]"));
    }

    [Test]
    public async Task SetAccountConfig_Over100Keys_Answers101AndStoresNothing()
    {
        var accountId = await Admin.AddAccountAsync();
        var hundred = Enumerable.Range(0, 100).Select(i => Item($"k{i}", "v")).ToArray();
        Assert.That((await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = hundred }))).O, Is.EqualTo(Std.Ok));
        var before = await Host.SnapshotAsync();

        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountId = accountId, Config = Item("one-more", "v") }),
            Is.EqualTo(Std.Error(101, $"accountId {accountId} would have 101 config keys; the limit is 100")));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task SetAccountConfig_KeyRulesOfUserConfig_Apply()
    {
        var accountId = await Admin.AddAccountAsync();

        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountId = accountId, Config = Item("apiSecret", "x") }), Is.EqualTo(Std.Error(100, "config key 'apiSecret' is reserved")));
        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountId = accountId, Config = new[] { Item("ok", "x"), Item("bad key ", "x") } }),
            Is.EqualTo(Std.Error(100, "Config[1].Key must be 1-64 printable ASCII characters")));
        Assert.That(await AdminBothAsync("SetAccountConfig", new { AccountId = accountId, Config = Item("k", new string('v', 1025)) }),
            Is.EqualTo(Std.Error(100, "Config.Value is 1025 characters long; the limit is 1024")));
        Assert.That(await ConfigOfAsync(accountId), Is.EqualTo("[]"));
    }

    [Test]
    public async Task LinkedTrader_SetsAndRemovesPlainKeys_ButNotProtectedOnes()
    {
        var (client, token, accountId, handle) = await LinkedTraderAsync();
        using var owned = client;
        var refused = Std.Error(20, "config key 'Operator.limit' can be set or removed only by an operator");

        Assert.That(await Host.CallBothAsync(client, token, "SetAccountConfig", Json(new { AccountHandle = handle, Config = Item("Desk", "fx") })), Is.EqualTo(Std.Ok));
        Assert.That(await Host.CallBothAsync(client, token, "SetAccountConfig", Json(new { AccountId = accountId, Config = Item("Operator.limit", "9") })), Is.EqualTo(refused));
        Assert.That((await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("Operator.limit", "5") }))).O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.CallBothAsync(client, token, "RemoveAccountConfig", Json(new { AccountId = accountId, Key = "Operator.limit" })), Is.EqualTo(refused));

        Assert.That(await Host.CallBothAsync(client, token, "GetAccountConfig", Json(new { AccountId = accountId })),
            Is.EqualTo("[{\"Key\":\"Desk\",\"Value\":\"fx\"},{\"Key\":\"Operator.limit\",\"Value\":\"5\"}]"));
        Assert.That((await client.CallAsync("RemoveAccountConfig", Json(new { AccountId = accountId, Key = "desk" }))).O, Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task LinkedTrader_NamingAnUnlinkedAccount_Answers20TheSameWhetherItExistsOrNot()
    {
        var (client, token, own, _) = await LinkedTraderAsync();
        using var owned = client;
        var otherHandle = Unique("other");
        var other = await Admin.AddAccountAsync(otherHandle);
        var refused = Std.Error(20, "you may act only on yourself and your linked accounts");

        foreach (var target in new object[] { new { AccountId = other }, new { AccountId = 987654 }, new { AccountHandle = otherHandle }, new { AccountHandle = "no-such-desk" }, new { AccountId = own, AccountHandle = otherHandle } })
        {
            var payload = System.Text.Json.JsonSerializer.SerializeToNode(target)!.AsObject();
            Assert.That(await Host.CallBothAsync(client, token, "GetAccountConfig", payload.ToJsonString()), Is.EqualTo(refused));
            payload["Config"] = System.Text.Json.JsonSerializer.SerializeToNode(Item("k", "v"));
            payload["Key"] = "k";
            Assert.That(await Host.CallBothAsync(client, token, "SetAccountConfig", payload.ToJsonString()), Is.EqualTo(refused));
            Assert.That(await Host.CallBothAsync(client, token, "RemoveAccountConfig", payload.ToJsonString()), Is.EqualTo(refused));
        }
        Assert.That(await ConfigOfAsync(other), Is.EqualTo("[]"));
    }

    [Test]
    public async Task AccountReadOnlyUser_ReadsItsAccountConfig_ButCannotSetIt()
    {
        var name = Unique("reader");
        var userId = await Admin.CreateUserAsync(name);
        foreach (var permission in new[] { "Deposit", "Trading", "Withdraw" })
            await Admin.CallAsync("RevokeUserPermission", Json(new { UserId = userId, Permission = permission }));
        await Admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "AccountReadOnly" }));
        var accountId = await Admin.AddAccountAsync();
        await Admin.LinkAsync(userId, accountId);
        await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("k", "v") }));
        using var client = await Host.ConnectAsync();
        await client.LoginAsync(name, "password-123");

        Assert.That((await client.CallAsync("GetAccountConfig", Json(new { AccountId = accountId }))).O, Is.EqualTo("[{\"Key\":\"k\",\"Value\":\"v\"}]"));
        Assert.That((await client.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("k", "w") }))).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task SetAccountConfig_Change_AuditsTheAccountAndItsWholeList()
    {
        var accountId = await Admin.AddAccountAsync();
        var count = await Audit.CountAsync(Host);

        Assert.That((await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("Desk", "fx") }))).O, Is.EqualTo(Std.Ok));

        var record = await Audit.AssertOneRecordAsync(Host, Admin, count, "SetAccountConfig");
        Assert.That(record.GetProperty("TargetAccountId").GetInt32(), Is.EqualTo(accountId));
        Assert.That(record.GetProperty("Before").GetRawText(), Is.EqualTo("{\"AccountConfig\":[]}"));
        Assert.That(record.GetProperty("After").GetRawText(), Is.EqualTo("{\"AccountConfig\":[{\"Key\":\"Desk\",\"Value\":\"fx\"}]}"));
        var again = await Host.SnapshotAsync();
        Assert.That((await Admin.CallAsync("SetAccountConfig", Json(new { AccountId = accountId, Config = Item("Desk", "fx") }))).O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(again), "the same value again changes nothing and is not audited");
    }
}
