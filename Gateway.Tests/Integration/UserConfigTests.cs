using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>GetUserConfig, SetUserConfig and RemoveUserConfig (calls-next.md, user config), over the socket and over HTTP.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class UserConfigTests : AdminFixture
{
    private string _adminToken = null!;

    protected override string[] Settings => ["--Gateway:Config:ProtectedKeys:0=kycTier"];

    [OneTimeSetUp]
    public async Task LogInOverHttp() => _adminToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    private Task<string> AdminBothAsync(string function, object payload) => Host.CallBothAsync(Admin, _adminToken, function, Json(payload));

    private async Task<(TestClient Client, string Token, int UserId, string Name)> TradingUserAsync()
    {
        var name = Unique("cfg");
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, name);
        return (client, await Host.LoginOverHttpAsync(name, "password-123"), userId, name);
    }

    private static object Item(string key, object? value) => new { Key = key, Value = value };

    private async Task<string> ConfigOfAsync(int userId) => (await Admin.CallAsync("GetUserConfig", Json(new { UserId = userId }))).O;

    [Test]
    public async Task SetUserConfig_ThenGet_AnswersEveryKeySortedIgnoringCase()
    {
        var userId = await Admin.CreateUserAsync(Unique("sorted"));

        Assert.That(await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = new[] { Item("levelIncreaseStatus", "pass"), Item("Language", "en"), Item("b", "") } }), Is.EqualTo(Std.Ok));

        Assert.That(await AdminBothAsync("GetUserConfig", new { UserId = userId }),
            Is.EqualTo("[{\"Key\":\"b\",\"Value\":\"\"},{\"Key\":\"Language\",\"Value\":\"en\"},{\"Key\":\"levelIncreaseStatus\",\"Value\":\"pass\"}]"));
    }

    [Test]
    public async Task GetUserConfig_NoConfig_AnswersEmptyArray()
    {
        var userId = await Admin.CreateUserAsync(Unique("empty"));

        Assert.That(await AdminBothAsync("GetUserConfig", new { UserId = userId }), Is.EqualTo("[]"));
    }

    [Test]
    public async Task UserConfig_NoUserNamed_IsTheCaller()
    {
        var (client, token, userId, _) = await TradingUserAsync();
        using var owned = client;

        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { Config = Item("Language", "pt") })), Is.EqualTo(Std.Ok));

        Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", "{}"), Is.EqualTo("[{\"Key\":\"Language\",\"Value\":\"pt\"}]"));
        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[{\"Key\":\"Language\",\"Value\":\"pt\"}]"));
        Assert.That((await client.CallAsync("RemoveUserConfig", Json(new { Key = "language" }))).O, Is.EqualTo(Std.Ok));
        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[]"));
    }

    [Test]
    public async Task SetUserConfig_NumberBooleanAndNameKey_StoredAsJsonTextUnderTheKey()
    {
        var userId = await Admin.CreateUserAsync(Unique("types"));

        var reply = await Admin.CallAsync("SetUserConfig",
            $"{{\"UserId\":{userId},\"Config\":[{{\"Key\":\"n\",\"Value\":158}},{{\"Name\":\"t\",\"Value\":true}},{{\"key\":\"f\",\"value\":1.50}}]}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[{\"Key\":\"f\",\"Value\":\"1.50\"},{\"Key\":\"n\",\"Value\":\"158\"},{\"Key\":\"t\",\"Value\":\"true\"}]"));
    }

    [Test]
    public async Task SetUserConfig_ExistingKeyInOtherCase_ReplacesValueAndSpelling()
    {
        var userId = await Admin.CreateUserAsync(Unique("replace"));
        await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("language", "en") }));

        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("LANGUAGE", "de") }))).O, Is.EqualTo(Std.Ok));

        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[{\"Key\":\"LANGUAGE\",\"Value\":\"de\"}]"));
    }

    private static readonly object[] BadItems =
    [
        new object[] { "{\"Key\":\"\",\"Value\":\"v\"}", "Config[1].Key is required" },
        new object[] { "{\"Value\":\"v\"}", "Config[1].Key is required" },
        new object[] { "{\"Key\":\" lead\",\"Value\":\"v\"}", "Config[1].Key must be 1-64 printable ASCII characters" },
        new object[] { "{\"Key\":\"trail \",\"Value\":\"v\"}", "Config[1].Key must be 1-64 printable ASCII characters" },
        new object[] { "{\"Key\":\"" + new string('k', 65) + "\",\"Value\":\"v\"}", "Config[1].Key must be 1-64 printable ASCII characters" },
        new object[] { "{\"Key\":\"caf\u00e9\",\"Value\":\"v\"}", "Config[1].Key must be 1-64 printable ASCII characters" },
        new object[] { "{\"Key\":\"tab\\tkey\",\"Value\":\"v\"}", "Config[1].Key must be 1-64 printable ASCII characters" },
        new object[] { "{\"Key\":\"k\"}", "Config[1].Value is required" },
        new object[] { "{\"Key\":\"k\",\"Value\":null}", "Config[1].Value is required" },
        new object[] { "{\"Key\":\"k\",\"Value\":{\"a\":1}}", "Config[1].Value must be a string, a number or a boolean, not an object or array" },
        new object[] { "{\"Key\":\"k\",\"Value\":[1]}", "Config[1].Value must be a string, a number or a boolean, not an object or array" },
        new object[] { "{\"Key\":\"k\",\"Name\":\"j\",\"Value\":\"v\"}", "Config[1] gives Key 'k' and Name 'j'; send one of them" },
        new object[] { "{\"Key\":\"k\",\"Value\":\"bell\\u0007\"}", "Config[1].Value holds the control character U+0007 at position 5; only tab, CR and LF are allowed" },
        new object[] { "\"k=v\"", "Config[1] must be an object {\"Key\",\"Value\"}" },
        new object[] { "{\"Key\":\"Language\",\"Value\":\"fr\"}", "Config names key 'Language' twice" },
    ];

    [TestCaseSource(nameof(BadItems))]
    public async Task SetUserConfig_BadSecondItem_Answers100NamingItAndStoresNothing(string item, string detail)
    {
        var userId = await Admin.CreateUserAsync(Unique("bad"));
        var before = await Host.SnapshotAsync();

        var reply = await Host.CallBothAsync(Admin, _adminToken, "SetUserConfig", $"{{\"UserId\":{userId},\"Config\":[{{\"Key\":\"language\",\"Value\":\"en\"}},{item}]}}");

        Assert.That(reply, Is.EqualTo(Std.Error(100, detail)));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("{}", "Config is required: an array of {\"Key\",\"Value\"} items")]
    [TestCase("{\"Config\":[]}", "Config is empty; it needs at least one {\"Key\",\"Value\"} item")]
    [TestCase("{\"Config\":\"Language=en\"}", "Config must be an array of {\"Key\",\"Value\"} items, or one such object")]
    public async Task SetUserConfig_NoItems_Answers100(string payload, string detail)
    {
        Assert.That(await Host.CallBothAsync(Admin, _adminToken, "SetUserConfig", payload), Is.EqualTo(Std.Error(100, detail)));
    }

    [Test]
    public async Task SetUserConfig_ValueOf1024Characters_IsStoredOverTheGeneralStringLimit()
    {
        var userId = await Admin.CreateUserAsync(Unique("long"));
        var value = "tab\tcr\rlf\n" + new string('v', 1014);

        Assert.That(await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = Item("notes", value) }), Is.EqualTo(Std.Ok));

        Assert.That(JsonDocument.Parse(await ConfigOfAsync(userId)).RootElement[0].GetProperty("Value").GetString(), Is.EqualTo(value));
    }

    [Test]
    public async Task SetUserConfig_ValueOf1025Characters_Answers100WithTheLimit()
    {
        var userId = await Admin.CreateUserAsync(Unique("toolong"));

        var reply = await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = new[] { Item("a", "1"), Item("notes", new string('v', 1025)) } });

        Assert.That(reply, Is.EqualTo(Std.Error(100, "Config[1].Value is 1025 characters long; the limit is 1024")));
        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[]"));
    }

    [Test]
    public async Task SetUserConfig_AnotherKeyOver256Characters_IsStillRefused()
    {
        var userId = await Admin.CreateUserAsync(Unique("other"));

        var reply = await AdminBothAsync("SetUserConfig", new { UserId = userId, Note = new string('n', 257), Config = Item("a", "1") });

        Assert.That(reply, Is.EqualTo(Std.Error(100, "Note is 257 characters long; the limit is 256")));
    }

    [TestCase("GooglePassPhrase")]
    [TestCase("myPASSWORD")]
    [TestCase("resetToken")]
    [TestCase("2FAType")]
    [TestCase("totpSeed")]
    [TestCase("apikey.main")]
    [TestCase("signatureKey")]
    [TestCase("clientSecret")]
    [TestCase("use2fa")]
    [TestCase("Operator")]
    [TestCase("verificationlevel")]
    [TestCase("AccountReadOnly")]
    [TestCase("RefererId")]
    public async Task SetUserConfig_ReservedKey_Answers100EvenForAnOperator(string key)
    {
        var userId = await Admin.CreateUserAsync(Unique("reserved"));

        var reply = await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = new[] { Item("Language", "en"), Item(key, "x") } });

        Assert.That(reply, Is.EqualTo(Std.Error(100, $"config key '{key}' is reserved")));
        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[]"));
    }

    [TestCase("firstName")]
    [TestCase("dob")]
    [TestCase("Street")]
    [TestCase("Operator.note")]
    public async Task SetUserConfig_ProfileAndKycKeys_AreNotReserved(string key)
    {
        var userId = await Admin.CreateUserAsync(Unique("profile"));

        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item(key, "x") }))).O, Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task SetUserConfig_Over100Keys_Answers101AndStoresNothing()
    {
        var userId = await Admin.CreateUserAsync(Unique("count"));
        var hundred = Enumerable.Range(0, 100).Select(i => Item($"k{i}", "v")).ToArray();
        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = hundred }))).O, Is.EqualTo(Std.Ok));
        var before = await Host.SnapshotAsync();

        var reply = await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = new[] { Item("K5", "replaced"), Item("k100", "v") } });

        Assert.That(reply, Is.EqualTo(Std.Error(101, $"userId {userId} would have 101 config keys; the limit is 100")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("K5", "replaced") }))).O, Is.EqualTo(Std.Ok), "replacing a key adds none");
    }

    [Test]
    public async Task RemoveUserConfig_KeyNotSet_Answers104()
    {
        var userId = await Admin.CreateUserAsync(Unique("unset"));

        Assert.That(await AdminBothAsync("RemoveUserConfig", new { UserId = userId, Key = "Language" }),
            Is.EqualTo(Std.Error(104, $"config key 'Language' is not set for userId {userId}")));
    }

    [TestCase("{}", 100, "Key is required")]
    [TestCase("{\"Key\":\"bad key \"}", 100, "Key must be 1-64 printable ASCII characters")]
    [TestCase("{\"Key\":\"GooglePassPhrase\"}", 100, "config key 'GooglePassPhrase' is reserved")]
    public async Task RemoveUserConfig_BadKey_Answers100(string payload, int code, string detail)
    {
        Assert.That(await Host.CallBothAsync(Admin, _adminToken, "RemoveUserConfig", payload), Is.EqualTo(Std.Error(code, detail)));
    }

    [Test]
    public async Task UserConfig_UnknownOrMismatchedUser_Answers104Or100()
    {
        var userId = await Admin.CreateUserAsync(Unique("named"));
        var other = Unique("nobody");

        Assert.That(await AdminBothAsync("GetUserConfig", new { UserId = 987654 }), Is.EqualTo(Std.Error(104, "userId 987654 does not exist")));
        Assert.That(await AdminBothAsync("SetUserConfig", new { UserName = other, Config = Item("a", "b") }), Is.EqualTo(Std.Error(104, $"userName '{other}' does not exist")));
        Assert.That(await AdminBothAsync("RemoveUserConfig", new { UserId = userId, UserName = "admin", Key = "a" }),
            Is.EqualTo(Std.Error(100, "UserId and UserName name different users")));
    }

    [TestCase("levelIncreaseStatus")]
    [TestCase("LEVELINCREASESTATUS")]
    [TestCase("Operator.kycNote")]
    [TestCase("operator.tier")]
    [TestCase("kycTier")]
    public async Task TradingUser_ProtectedKey_Answers20BySetRemoveAndBatchButReadsIt(string key)
    {
        var (client, token, userId, _) = await TradingUserAsync();
        using var owned = client;
        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item(key, "pass") }))).O, Is.EqualTo(Std.Ok));
        var refused = Std.Error(20, $"config key '{key}' can be set or removed only by an operator");
        var before = await Host.SnapshotAsync();

        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { Config = new[] { Item("Language", "en"), Item(key, "fail") } })), Is.EqualTo(refused));
        Assert.That(await Host.CallBothAsync(client, token, "RemoveUserConfig", Json(new { UserId = userId, Key = key })), Is.EqualTo(refused));
        var batch = await client.CallAsync("Batch", Json(new { Calls = new object[]
        {
            new { n = "SetUserConfig", o = new { Config = Item(key, "fail") } },
            new { n = "RemoveUserConfig", o = new { Key = key } },
        } }));

        Assert.That(batch.Payload.GetProperty("Results").EnumerateArray().Select(r => r.GetProperty("o").GetRawText()), Is.All.EqualTo(refused), batch.O);
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", "{}"), Is.EqualTo($"[{{\"Key\":\"{key}\",\"Value\":\"pass\"}}]"));
    }

    [Test]
    public async Task TradingUser_ReservedKey_Answers100BySetAndByBatch()
    {
        var (client, token, _, _) = await TradingUserAsync();
        using var owned = client;
        var before = await Host.SnapshotAsync();

        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { Config = Item("GooglePassPhrase", "JBSWY3DPEHPK3PXP") })),
            Is.EqualTo(Std.Error(100, "config key 'GooglePassPhrase' is reserved")));
        var batch = await client.CallAsync("Batch", Json(new { Atomic = true, Calls = new object[]
        {
            new { n = "SetUserConfig", o = new { Config = Item("Language", "en") } },
            new { n = "SetUserConfig", o = new { Config = Item("Locked", "false") } },
        } }));

        Assert.That(batch.Payload.GetProperty("Results")[1].GetProperty("o").GetRawText(), Is.EqualTo(Std.Error(100, "config key 'Locked' is reserved")), batch.O);
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), "an atomic batch with a reserved key applies nothing");
    }

    [Test]
    public async Task TradingUser_NamingAnotherUser_Answers20TheSameWhetherItExistsOrNot()
    {
        var (client, token, _, _) = await TradingUserAsync();
        using var owned = client;
        var victim = await Admin.CreateUserAsync(Unique("victim"));
        var refused = Std.Error(20, "you may act only on yourself and your linked accounts");

        foreach (var target in new object[] { new { UserId = victim }, new { UserId = 987654 }, new { UserName = "admin" }, new { UserName = Unique("ghost") } })
        {
            var payload = JsonSerializer.SerializeToNode(target)!.AsObject();
            Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", payload.ToJsonString()), Is.EqualTo(refused));
            payload["Config"] = JsonSerializer.SerializeToNode(Item("Language", "en"));
            Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", payload.ToJsonString()), Is.EqualTo(refused));
            payload["Key"] = "Language";
            Assert.That(await Host.CallBothAsync(client, token, "RemoveUserConfig", payload.ToJsonString()), Is.EqualTo(refused));
        }
        Assert.That(await ConfigOfAsync(victim), Is.EqualTo("[]"));
    }

    [Test]
    public async Task HolderOfSetUserConfig_ActsAsAnOperator_OnProtectedKeysOfOthers()
    {
        var (client, token, holder, _) = await TradingUserAsync();
        using var owned = client;
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = holder, Permission = "SetUserConfig" }))).O, Is.EqualTo(Std.Ok));
        var userId = await Admin.CreateUserAsync(Unique("kyc"));

        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { UserId = userId, Config = Item("levelIncreaseStatus", "pass") })), Is.EqualTo(Std.Ok));
        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { UserId = userId, Config = Item("Password", "x") })),
            Is.EqualTo(Std.Error(100, "config key 'Password' is reserved")), "a holder is still bound by the reserved keys");

        Assert.That(await ConfigOfAsync(userId), Is.EqualTo("[{\"Key\":\"levelIncreaseStatus\",\"Value\":\"pass\"}]"));
        Assert.That((await client.CallAsync("RemoveUserConfig", Json(new { UserId = userId, Key = "levelIncreaseStatus" }))).ErrorCode(), Is.EqualTo(20),
            "the permission of one call does not give another");
    }

    [Test]
    public async Task SetUserConfig_Change_AuditsTheWholeListBeforeAndAfter()
    {
        var userId = await Admin.CreateUserAsync(Unique("audit"));
        await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("Language", "en") }));
        var count = await Audit.CountAsync(Host);

        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("Theme", "dark") }))).O, Is.EqualTo(Std.Ok));

        var record = await Audit.AssertOneRecordAsync(Host, Admin, count, "SetUserConfig");
        Assert.That(record.GetProperty("TargetUserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(record.GetProperty("Before").GetRawText(), Is.EqualTo("{\"UserConfig\":[{\"Key\":\"Language\",\"Value\":\"en\"}]}"));
        Assert.That(record.GetProperty("After").GetRawText(), Is.EqualTo("{\"UserConfig\":[{\"Key\":\"Language\",\"Value\":\"en\"},{\"Key\":\"Theme\",\"Value\":\"dark\"}]}"));
    }

    [Test]
    public async Task SetUserConfig_ValueAlreadySet_SucceedsWithoutAnAuditRow()
    {
        var userId = await Admin.CreateUserAsync(Unique("noop"));
        await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = Item("Language", "en") }));
        var before = await Host.SnapshotAsync();

        Assert.That(await AdminBothAsync("SetUserConfig", new { UserId = userId, Config = Item("Language", "en") }), Is.EqualTo(Std.Ok));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UserConfig_IsNeverReadForASecurityDecision()
    {
        var (client, _, userId, _) = await TradingUserAsync();
        using var owned = client;

        Assert.That((await Admin.CallAsync("SetUserConfig", Json(new { UserId = userId, Config = new[] { Item("Operator.grant", "true"), Item("isOperator", "true") } }))).O, Is.EqualTo(Std.Ok));

        Assert.That((await client.CallAsync("GetUserPermissions", "{}")).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
        Assert.That((await client.CallAsync("GetUsers", "{}")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task ClientLibraryRequests_AnswerTheShapesTheyParse()
    {
        var (client, token, userId, name) = await TradingUserAsync();
        using var owned = client;

        // foxbit-exapi: SetUserConfig {UserId,UserName,Config}, GetUserConfig {} -> Array<{Key,Value}>, RemoveUserConfig {UserId,UserName,Key}
        Assert.That(await Host.CallBothAsync(client, token, "SetUserConfig", Json(new { UserId = userId, UserName = name, Config = new[] { Item("Language", "en") } })), Is.EqualTo(Std.Ok));
        Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", "{}"), Is.EqualTo("[{\"Key\":\"Language\",\"Value\":\"en\"}]"));
        // foxbit-api: {UserName,UserId}; alphapoint-apex-api: {UserId}
        Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", Json(new { UserName = name, UserId = userId })), Is.EqualTo("[{\"Key\":\"Language\",\"Value\":\"en\"}]"));
        Assert.That(await Host.CallBothAsync(client, token, "GetUserConfig", Json(new { UserId = userId })), Is.EqualTo("[{\"Key\":\"Language\",\"Value\":\"en\"}]"));
        Assert.That((await client.CallAsync("RemoveUserConfig", Json(new { UserId = userId, UserName = name, Key = "Language" }))).O, Is.EqualTo(Std.Ok));
    }

    [TestCase("GetUserConfig")]
    [TestCase("SetUserConfig")]
    [TestCase("RemoveUserConfig")]
    [TestCase("GetAccountConfig")]
    [TestCase("SetAccountConfig")]
    [TestCase("RemoveAccountConfig")]
    [TestCase("GetUsers")]
    [TestCase("GetAccounts")]
    [TestCase("UpdateAccount")]
    [TestCase("GetUserAffiliates")]
    [TestCase("GetRecentAffiliateRegistrations")]
    public async Task NewCall_AnotherOmsId_Answers104(string function)
    {
        Assert.That(await Host.CallBothAsync(Admin, _adminToken, function, "{\"OMSId\":2,\"UserId\":1,\"AccountId\":1,\"Key\":\"k\",\"Config\":{\"Key\":\"k\",\"Value\":\"v\"}}"),
            Is.EqualTo(Std.Error(104, "OMSId 2 does not exist; this gateway hosts OMS 1")));
    }
}
