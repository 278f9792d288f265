using System.Globalization;
using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Accounts: AddAccount, GetAccountInfo, GetUserAccounts, GetUserAccountInfos, GetAccountUsers.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AccountCallTests : AdminFixture
{
    [Test]
    public async Task AddAccount_NewHandle_RepliesSuccessWithNewId()
    {
        var first = await Admin.CallAsync("AddAccount", Json(new { AccountName = "First", AccountHandle = Unique("h") }));
        var second = await Admin.CallAsync("AddAccount", Json(new { OMSId = 1, AccountName = "Second" }));

        Assert.That(first.O, Does.Match("^\\{\"Success\":true,\"Id\":[1-9]\\d*,\"RejectMessage\":null\\}$"));
        var firstId = first.Payload.GetProperty("Id").GetInt32();
        Assert.That(second.O, Is.EqualTo($"{{\"Success\":true,\"Id\":{firstId + 1},\"RejectMessage\":null}}"));
        var info = await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = firstId + 1 }));
        Assert.That(info.Payload.GetProperty("AccountName").GetString(), Is.EqualTo("Second"));
        Assert.That(info.Payload.GetProperty("AccountHandle").GetString(), Is.Empty, "a handle is optional");
    }

    [Test]
    public async Task AddAccount_TakenHandleInOtherCase_RepliesSuccessFalseWithReasonAndChangesNothing()
    {
        var handle = Unique("taken");
        var holder = await Admin.AddAccountAsync(handle);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddAccount", Json(new { AccountName = "Copy", AccountHandle = handle.ToUpperInvariant() }));

        Assert.That(reply.Payload.GetProperty("Success").GetBoolean(), Is.False, reply.O);
        Assert.That(reply.Payload.GetProperty("Id").GetInt32(), Is.Zero);
        Assert.That(reply.Payload.GetProperty("RejectMessage").GetString(), Does.Contain(handle.ToUpperInvariant()).And.Contain(holder.ToString(CultureInfo.InvariantCulture)));
        Assert.That(reply.O, Does.StartWith("{\"Success\":false,\"Id\":0,\"RejectMessage\":\""));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task GetAccountInfo_EveryField_AnswersTheAccountObjectOfCallsMd()
    {
        var handle = Unique("full");
        var added = await Admin.CallAsync("AddAccount", Json(new
        {
            OMSId = 1, AccountName = "Full account", AccountHandle = handle, AccountType = 1, RiskType = 2, VerificationLevel = 3,
            FeeGroupID = 4, ParentID = 5, FirmId = "F-6", FirmName = "Firm Six", TFCNumber = 7, StreetAddress = "8 Main St", City = "Nine",
            State = "TX", ZipCode = "10101", Country = "US", ViewLineItemPermissionFlag = true, OrderLineItemPermissionFlag = false,
            HidePricingInformation = true,
        }));
        var id = added.Payload.GetProperty("Id").GetInt32();

        var info = await Admin.CallAsync("GetAccountInfo", Json(new { OMSId = 1, AccountId = id }));

        Assert.That(info.O, Is.EqualTo(
            $"{{\"AccountId\":{id},\"OMSID\":1,\"AccountName\":\"Full account\",\"AccountHandle\":\"{handle}\",\"AccountType\":1,\"RiskType\":2," +
            "\"VerificationLevel\":3,\"FeeGroupID\":4,\"ParentID\":5,\"FirmId\":\"F-6\",\"FirmName\":\"Firm Six\",\"TFCNumber\":7," +
            "\"StreetAddress\":\"8 Main St\",\"City\":\"Nine\",\"State\":\"TX\",\"ZipCode\":\"10101\",\"Country\":\"US\"," +
            "\"ViewLineItemPermissionFlag\":true,\"OrderLineItemPermissionFlag\":false,\"HidePricingInformation\":true}"));
    }

    [Test]
    public async Task GetAccountInfo_UnknownAccount_Answers104()
    {
        var reply = await Admin.CallAsync("GetAccountInfo", "{\"AccountId\":999999}");

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, "AccountId 999999 does not exist")));
    }

    [Test]
    public async Task GetUserAccounts_LinkedOutOfOrder_AnswersAscendingIds()
    {
        var userName = Unique("asc");
        var userId = await Admin.CreateUserAsync(userName);
        int[] ids = [await Admin.AddAccountAsync(), await Admin.AddAccountAsync(), await Admin.AddAccountAsync()];
        foreach (var id in new[] { ids[2], ids[0], ids[1] })
            await Admin.LinkAsync(userId, id);

        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{ids[0]},{ids[1]},{ids[2]}]"));
        Assert.That((await Admin.CallAsync("GetUserAccounts", Json(new { OMSId = 1, UserName = userName.ToUpperInvariant() }))).O,
            Is.EqualTo($"[{ids[0]},{ids[1]},{ids[2]}]"));
        Assert.That(await Admin.UserAccountsAsync(await Admin.CreateUserAsync(Unique("none"))), Is.EqualTo("[]"));
    }

    [Test]
    public async Task GetUserAccountInfos_TwoLinks_AnswersBothAccountObjectsAscending()
    {
        var userId = await Admin.CreateUserAsync(Unique("infos"));
        var low = await Admin.AddAccountAsync();
        var high = await Admin.AddAccountAsync();
        await Admin.LinkAsync(userId, high);
        await Admin.LinkAsync(userId, low);
        var lowInfo = (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = low }))).O;
        var highInfo = (await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = high }))).O;

        var infos = await Admin.CallAsync("GetUserAccountInfos", Json(new { UserId = userId }));

        Assert.That(infos.O, Is.EqualTo($"[{lowInfo},{highInfo}]"));
    }

    [Test]
    public async Task GetUserAccounts_EmptyPayload_AnswersTheCallersAccounts()
    {
        Assert.That((await Admin.CallAsync("GetUserAccounts", "{}")).O, Does.StartWith("[1"), "admin's bootstrap account is 1");
        var infos = await Admin.CallAsync("GetUserAccountInfos", "{}");
        Assert.That(infos.Payload[0].GetProperty("AccountHandle").GetString(), Is.EqualTo("admin"));
    }

    [TestCase("GetUserAccounts")]
    [TestCase("GetUserAccountInfos")]
    public async Task UserAccountReads_MissingUser_Answer104(string function)
    {
        Assert.That((await Admin.CallAsync(function, "{\"UserId\":765432}")).O, Is.EqualTo(Std.Error(104, "UserId 765432 does not exist")));
        Assert.That((await Admin.CallAsync(function, "{\"UserName\":\"nobody-here\"}")).O, Is.EqualTo(Std.Error(104, "UserName 'nobody-here' does not exist")));
    }

    [TestCase("GetAccountInfo")]
    [TestCase("GetAccountUsers")]
    public async Task AccountReads_NoAccountId_Answer100(string function)
    {
        Assert.That((await Admin.CallAsync(function, "{\"AccountId\":0}")).O, Is.EqualTo(Std.Error(100, $"{function} needs AccountId")));
    }

    [Test]
    public async Task GetAccountUsers_TwoLinkedUsers_AnswersEachWithItsPermissions()
    {
        var account = await Admin.AddAccountAsync(view: true, order: true);
        var firstName = Unique("au");
        var secondName = Unique("au");
        var first = await Admin.CreateUserAsync(firstName);
        var second = await Admin.CreateUserAsync(secondName);
        await Admin.LinkAsync(second, account);
        await Admin.LinkAsync(first, account);

        var users = await Admin.CallAsync("GetAccountUsers", Json(new { AccountId = account }));

        Assert.That(users.O, Is.EqualTo(
            $"[{{\"UserId\":{first},\"UserName\":\"{firstName}\",\"AccountUserPermissions\":[0,1]}}," +
            $"{{\"UserId\":{second},\"UserName\":\"{secondName}\",\"AccountUserPermissions\":[0,1]}}]"));
        var empty = await Admin.AddAccountAsync();
        Assert.That((await Admin.CallAsync("GetAccountUsers", Json(new { AccountId = empty }))).O, Is.EqualTo("[]"));
    }

    [Test]
    public async Task GetAccountUsers_UnknownAccount_Answers104()
    {
        var reply = await Admin.CallAsync("GetAccountUsers", "{\"AccountId\":888888}");

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, "AccountId 888888 does not exist")));
    }

    [Test]
    public async Task AddAccount_WithoutName_Answers100AndChangesNothing()
    {
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddAccount", Json(new { AccountHandle = Unique("noname") }));

        Assert.That(reply.ErrorCode(), Is.EqualTo(100), reply.O);
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(JsonDocument.Parse(reply.O).RootElement.GetProperty("result").GetBoolean(), Is.False);
    }
}
