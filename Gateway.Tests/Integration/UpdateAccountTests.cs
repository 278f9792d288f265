using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>UpdateAccount (calls-next.md): which fields apply when, their ranges, handles, parents, audit and who may call it.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class UpdateAccountTests : AdminFixture
{
    private string _adminToken = null!;

    [OneTimeSetUp]
    public async Task LogInOverHttp() => _adminToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    private Task<string> AdminBothAsync(object payload) => Host.CallBothAsync(Admin, _adminToken, "UpdateAccount", Json(payload));

    private async Task<JsonElement> AccountAsync(int accountId) => (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).Payload;

    [Test]
    public async Task UpdateAccount_GivenFields_AreApplied_AndAuditedBeforeAndAfter()
    {
        var accountId = await Admin.AddAccountAsync();
        var parent = await Admin.AddAccountAsync();
        var handle = Unique("moved");
        var before = (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).O;
        var count = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("UpdateAccount", Json(new
        {
            OMSId = 1, AccountId = accountId, AccountName = "Desk FX", AccountHandle = handle, AccountType = 1, RiskType = 3, VerificationLevel = 255,
            FeeGroupID = 7, ParentID = parent, FirmId = "F9", FirmName = "Acme", TFCNumber = 12, StreetAddress = "1 Main St", City = "Lisbon",
            State = "LX", ZipCode = "1000", Country = "PT", ViewLineItemPermissionFlag = true, OrderLineItemPermissionFlag = true, HidePricingInformation = true,
            Frozen = true, LoyaltyEnabled = true, RefererId = 3, PriceTier = 2,
        }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        var after = (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).O;
        Assert.That(after, Is.EqualTo(
            $"{{\"AccountId\":{accountId},\"OMSID\":1,\"AccountName\":\"Desk FX\",\"AccountHandle\":\"{handle}\",\"AccountType\":1,\"RiskType\":3," +
            $"\"VerificationLevel\":255,\"FeeGroupID\":7,\"ParentID\":{parent},\"FirmId\":\"F9\",\"FirmName\":\"Acme\",\"TFCNumber\":12," +
            "\"StreetAddress\":\"1 Main St\",\"City\":\"Lisbon\",\"State\":\"LX\",\"ZipCode\":\"1000\",\"Country\":\"PT\"," +
            "\"ViewLineItemPermissionFlag\":true,\"OrderLineItemPermissionFlag\":true,\"HidePricingInformation\":true}"));
        var record = await Audit.AssertOneRecordAsync(Host, Admin, count, "UpdateAccount");
        Assert.That(record.GetProperty("TargetAccountId").GetInt32(), Is.EqualTo(accountId));
        Assert.That(record.GetProperty("Before").GetRawText(), Is.EqualTo(before));
        Assert.That(record.GetProperty("After").GetRawText(), Is.EqualTo(after));
    }

    [Test]
    public async Task UpdateAccount_ZerosAndEmptyText_AreNotGiven_ButAccountTypeAndLevelZeroApply()
    {
        var accountId = await Admin.AddAccountAsync();
        var parent = await Admin.AddAccountAsync();
        Assert.That((await Admin.CallAsync("UpdateAccount", Json(new { AccountId = accountId, AccountType = 2, VerificationLevel = 3, RiskType = 2, FeeGroupID = 4, ParentID = parent, TFCNumber = 5, City = "Porto" }))).O, Is.EqualTo(Std.Ok));

        Assert.That(await AdminBothAsync(new { AccountId = accountId, AccountName = "", AccountHandle = (string?)null, City = "", AccountType = 0, VerificationLevel = 0, RiskType = 0, FeeGroupID = 0, ParentID = 0, TFCNumber = 0 }), Is.EqualTo(Std.Ok));

        var account = await AccountAsync(accountId);
        Assert.That((account.GetProperty("AccountType").GetInt32(), account.GetProperty("VerificationLevel").GetInt32()), Is.EqualTo((0, 0)));
        Assert.That((account.GetProperty("RiskType").GetInt32(), account.GetProperty("FeeGroupID").GetInt32(), account.GetProperty("ParentID").GetInt32(), account.GetProperty("TFCNumber").GetInt32()),
            Is.EqualTo((2, 4, parent, 5)));
        Assert.That(account.GetProperty("City").GetString(), Is.EqualTo("Porto"));
        Assert.That(account.GetProperty("AccountName").GetString(), Does.StartWith("Account "));
    }

    [TestCase("{}", "AccountId is required")]
    [TestCase("{\"AccountId\":0,\"AccountName\":\"x\"}", "AccountId is required")]
    [TestCase("{\"AccountId\":1,\"AccountType\":3}", "AccountType must be 0, 1 or 2")]
    [TestCase("{\"AccountId\":1,\"AccountType\":-1}", "AccountType must be 0, 1 or 2")]
    [TestCase("{\"AccountId\":1,\"RiskType\":4}", "RiskType must be 1, 2 or 3")]
    [TestCase("{\"AccountId\":1,\"VerificationLevel\":256}", "VerificationLevel must be between 0 and 255")]
    [TestCase("{\"AccountId\":1,\"FeeGroupID\":-2}", "FeeGroupID must be 0 or more")]
    public async Task UpdateAccount_OutOfRange_Answers100NamingTheKeyAndChangesNothing(string payload, string detail)
    {
        var before = await Host.SnapshotAsync();

        Assert.That(await Host.CallBothAsync(Admin, _adminToken, "UpdateAccount", payload), Is.EqualTo(Std.Error(100, detail)));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateAccount_UnknownAccountOrParent_Answers104()
    {
        var accountId = await Admin.AddAccountAsync();

        Assert.That(await AdminBothAsync(new { AccountId = 987654, AccountName = "x" }), Is.EqualTo(Std.Error(104, "accountId 987654 does not exist")));
        Assert.That(await AdminBothAsync(new { AccountId = accountId, ParentID = 987654 }), Is.EqualTo(Std.Error(104, "ParentID 987654: accountId 987654 does not exist")));
    }

    [Test]
    public async Task UpdateAccount_ParentCycle_Answers101()
    {
        var a = await Admin.AddAccountAsync();
        var b = await Admin.AddAccountAsync();
        var c = await Admin.AddAccountAsync();
        Assert.That((await Admin.CallAsync("UpdateAccount", Json(new { AccountId = b, ParentID = a }))).O, Is.EqualTo(Std.Ok));
        Assert.That((await Admin.CallAsync("UpdateAccount", Json(new { AccountId = c, ParentID = b }))).O, Is.EqualTo(Std.Ok));
        var before = await Host.SnapshotAsync();

        Assert.That(await AdminBothAsync(new { AccountId = a, ParentID = c }), Is.EqualTo(Std.Error(101, $"ParentID {c} would make a cycle")));
        Assert.That(await AdminBothAsync(new { AccountId = a, ParentID = a }), Is.EqualTo(Std.Error(101, $"ParentID {a} would make a cycle")));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateAccount_HandleOfAnotherAccountInAnyCase_Answers101_ItsOwnInOtherCaseIsARename()
    {
        var taken = Unique("Taken");
        await Admin.AddAccountAsync(taken);
        var own = Unique("own");
        var accountId = await Admin.AddAccountAsync(own);

        Assert.That(await AdminBothAsync(new { AccountId = accountId, AccountHandle = taken.ToUpperInvariant() }),
            Is.EqualTo(Std.Error(101, $"account handle '{taken.ToUpperInvariant()}' already in use")));
        Assert.That(await AdminBothAsync(new { AccountId = accountId, AccountHandle = own.ToUpperInvariant() }), Is.EqualTo(Std.Ok));
        Assert.That((await AccountAsync(accountId)).GetProperty("AccountHandle").GetString(), Is.EqualTo(own.ToUpperInvariant()));
    }

    [Test]
    public async Task UpdateAccount_NothingChanges_SucceedsWithoutAnAuditRow()
    {
        var accountId = await Admin.AddAccountAsync();
        var account = (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).O;
        var before = await Host.SnapshotAsync();

        Assert.That(await Host.CallBothAsync(Admin, _adminToken, "UpdateAccount", account), Is.EqualTo(Std.Ok));

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), "sending back the object read changes nothing");
    }

    [Test]
    public async Task UpdateAccount_TradingUserOnItsOwnAccount_Answers20()
    {
        var name = Unique("upd");
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using var owned = client;
        var accountId = await Admin.AddAccountAsync();
        await Admin.LinkAsync(userId, accountId);
        var before = await Host.SnapshotAsync();

        var reply = await client.CallAsync("UpdateAccount", Json(new { AccountId = accountId, VerificationLevel = 255, RiskType = 2 }));

        Assert.That(reply.ErrorCode(), Is.EqualTo(20), reply.O);
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await AccountAsync(accountId)).GetProperty("VerificationLevel").GetInt32(), Is.Zero);
    }
}
