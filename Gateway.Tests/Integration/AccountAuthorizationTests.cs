using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Authorization: what a Trading user may and may not do with accounts, links, tags and the audit log.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AccountAuthorizationTests : AdminFixture
{
    private const string NotAuthorized = "{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"";

    private TestClient _trader = null!;
    private int _traderId;
    private int _ownAccount;
    private int _otherUser;
    private int _otherAccount;

    [OneTimeSetUp]
    public async Task Setup()
    {
        (_trader, _traderId) = await Host.ConnectNewUserAsync(Admin, Unique("trader"));
        _ownAccount = await Admin.AddAccountAsync();
        await Admin.LinkAsync(_traderId, _ownAccount);
        _otherUser = await Admin.CreateUserAsync(Unique("other"));
        _otherAccount = await Admin.AddAccountAsync();
        await Admin.LinkAsync(_otherUser, _otherAccount);
    }

    [OneTimeTearDown]
    public void Teardown()
    {
        _trader.Dispose();
    }

    private static IEnumerable<TestCaseData> Refused()
    {
        yield return new TestCaseData("AddUserAccount", "link-own").SetName("AddUserAccount_TradingUser_Answers20AndChangesNothing");
        yield return new TestCaseData("RemoveUserAccount", "unlink-own").SetName("RemoveUserAccount_TradingUser_Answers20AndChangesNothing");
        yield return new TestCaseData("AddAccount", "new-account").SetName("AddAccount_TradingUser_Answers20AndChangesNothing");
        yield return new TestCaseData("GetAccountUsers", "own-account").SetName("GetAccountUsers_TradingUser_Answers20");
        yield return new TestCaseData("GetAuditLog", "empty").SetName("GetAuditLog_TradingUser_Answers20");
        yield return new TestCaseData("GetAccountInfo", "other-account").SetName("GetAccountInfo_TradingUserUnlinkedAccount_Answers20");
        yield return new TestCaseData("GetAccountInfo", "missing-account").SetName("GetAccountInfo_TradingUserMissingAccount_Answers20Not104");
        yield return new TestCaseData("GetUserAccounts", "other-user").SetName("GetUserAccounts_TradingUserOtherUser_Answers20");
        yield return new TestCaseData("GetUserAccountInfos", "other-user").SetName("GetUserAccountInfos_TradingUserOtherUser_Answers20");
        yield return new TestCaseData("AddUserAffiliateTag", "other-tag").SetName("AddUserAffiliateTag_TradingUserOtherUser_Answers20AndChangesNothing");
        yield return new TestCaseData("UpdateUserAffiliateTag", "other-tag").SetName("UpdateUserAffiliateTag_TradingUserOtherUser_Answers20AndChangesNothing");
        yield return new TestCaseData("RemoveUserAffiliateTag", "other-user").SetName("RemoveUserAffiliateTag_TradingUserOtherUser_Answers20AndChangesNothing");
        yield return new TestCaseData("GetUserAffiliateTag", "other-user").SetName("GetUserAffiliateTag_TradingUserOtherUser_Answers20");
        yield return new TestCaseData("GetUserAffiliateCount", "other-user").SetName("GetUserAffiliateCount_TradingUserOtherUser_Answers20");
    }

    [TestCaseSource(nameof(Refused))]
    public async Task Call_TradingUserOutsideItsScope_Answers20AndChangesNothing(string function, string target)
    {
        var payload = target switch
        {
            "link-own" => Json(new { accountId = _otherAccount, userId = _traderId }),
            "unlink-own" => Json(new { accountId = _ownAccount, userId = _traderId }),
            "new-account" => Json(new { AccountName = "Mine", AccountHandle = Unique("mine") }),
            "own-account" => Json(new { AccountId = _ownAccount }),
            "empty" => "{}",
            "other-account" => Json(new { AccountId = _otherAccount }),
            "missing-account" => "{\"AccountId\":999999}",
            "other-user" => Json(new { UserId = _otherUser }),
            "other-tag" => Json(new { userId = _otherUser, affiliateTag = "t_" + Guid.NewGuid().ToString("N")[..12] }),
            _ => throw new ArgumentOutOfRangeException(nameof(target)),
        };
        var before = await Host.SnapshotAsync();

        var reply = await _trader.CallAsync(function, payload);

        Assert.That(reply.O, Does.StartWith(NotAuthorized));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task AccountReads_TradingUserOwnAccount_AnswerItsAccount()
    {
        var info = await _trader.CallAsync("GetAccountInfo", Json(new { AccountId = _ownAccount }));
        var asAdmin = await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = _ownAccount }));

        Assert.That(info.O, Is.EqualTo(asAdmin.O));
        Assert.That(info.Payload.GetProperty("AccountId").GetInt32(), Is.EqualTo(_ownAccount));
        Assert.That((await _trader.CallAsync("GetUserAccounts", "{}")).O, Is.EqualTo($"[{_ownAccount}]"));
        Assert.That((await _trader.CallAsync("GetUserAccounts", Json(new { UserId = _traderId }))).O, Is.EqualTo($"[{_ownAccount}]"));
        Assert.That((await _trader.CallAsync("GetUserAccountInfos", "{}")).O, Is.EqualTo($"[{asAdmin.O}]"));
    }

    [Test]
    public async Task AffiliateTagCalls_TradingUserActingOnItself_ManageItsOwnTag()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin, Unique("selftag"));
        using (user)
        {
            var tag = "t_" + Guid.NewGuid().ToString("N")[..12];
            Assert.That((await user.CallAsync("AddUserAffiliateTag", Json(new { omsId = 0, userId, affiliateId = 0, affiliateTag = tag }))).O, Is.EqualTo(Std.Ok));
            var read = await user.CallAsync("GetUserAffiliateTag", "{}");
            Assert.That(read.Payload[0].GetProperty("AffiliateTag").GetString(), Is.EqualTo(tag));
            Assert.That(read.Payload[0].GetProperty("UserId").GetInt32(), Is.EqualTo(userId));

            var renamed = tag + "-2";
            Assert.That((await user.CallAsync("UpdateUserAffiliateTag", Json(new { affiliateTag = renamed }))).O, Is.EqualTo(Std.Ok));
            Assert.That(await Admin.AffiliateTagAsync(userId), Does.Contain($"\"AffiliateTag\":\"{renamed}\""));

            await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("via"), Password = "password-123" }, AffiliateTag = renamed }));
            Assert.That(await user.AffiliateCountAsync(userId), Is.EqualTo("{\"Count\":1}"));

            Assert.That((await user.CallAsync("RemoveUserAffiliateTag", Json(new { UserId = userId }))).O, Is.EqualTo(Std.Ok));
            Assert.That(await user.AffiliateTagAsync(userId), Is.EqualTo("[]"));
        }
    }
}
