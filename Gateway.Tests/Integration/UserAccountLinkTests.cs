using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Links: AddUserAccount (seed 000) and RemoveUserAccount (seed 001).</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class UserAccountLinkTests : AdminFixture
{
    private async Task<(int UserId, string UserName, int AccountId, string Handle)> PairAsync()
    {
        var userName = Unique("lu");
        var handle = Unique("la");
        return (await Admin.CreateUserAsync(userName), userName, await Admin.AddAccountAsync(handle), handle);
    }

    [Test]
    public async Task AddUserAccount_ByHandleAndUserName_LinksThePair()
    {
        var (userId, userName, accountId, handle) = await PairAsync();

        var reply = await Admin.CallAsync("AddUserAccount", Json(new { accountId = 0, accountHandle = handle.ToUpperInvariant(), userId = 0, userName }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
    }

    [Test]
    public async Task AddUserAccount_BothKeysAgreeing_LinksThePair()
    {
        var (userId, userName, accountId, handle) = await PairAsync();

        var reply = await Admin.CallAsync("AddUserAccount", Json(new { accountId, accountHandle = handle, userId, userName }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
    }

    [Test]
    public async Task AddUserAccount_LowerAndUpperCaseKeysWithNumericString_LinksThePair()
    {
        var (userId, _, accountId, _) = await PairAsync();

        var reply = await Admin.CallAsync("AddUserAccount", $"{{\"accountid\":\"{accountId}\",\"USERID\":{userId}}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
    }

    private static IEnumerable<TestCaseData> Refusals()
    {
        yield return new TestCaseData("AddUserAccount", "account-mismatch").SetName("AddUserAccount_AccountIdAndHandleDisagree_Answers100AndChangesNothing");
        yield return new TestCaseData("AddUserAccount", "user-mismatch").SetName("AddUserAccount_UserIdAndNameDisagree_Answers100AndChangesNothing");
        yield return new TestCaseData("AddUserAccount", "no-account").SetName("AddUserAccount_NoAccountGiven_Answers100AndChangesNothing");
        yield return new TestCaseData("AddUserAccount", "no-user").SetName("AddUserAccount_NoUserGiven_Answers100AndChangesNothing");
        yield return new TestCaseData("AddUserAccount", "missing-account-id").SetName("AddUserAccount_MissingAccountId_Answers104NamingTheAccount");
        yield return new TestCaseData("AddUserAccount", "missing-handle").SetName("AddUserAccount_MissingHandle_Answers104NamingTheAccount");
        yield return new TestCaseData("AddUserAccount", "missing-user-id").SetName("AddUserAccount_MissingUserId_Answers104NamingTheUser");
        yield return new TestCaseData("AddUserAccount", "missing-user-name").SetName("AddUserAccount_MissingUserName_Answers104NamingTheUser");
        yield return new TestCaseData("RemoveUserAccount", "account-mismatch").SetName("RemoveUserAccount_AccountIdAndHandleDisagree_Answers100AndChangesNothing");
        yield return new TestCaseData("RemoveUserAccount", "user-mismatch").SetName("RemoveUserAccount_UserIdAndNameDisagree_Answers100AndChangesNothing");
        yield return new TestCaseData("RemoveUserAccount", "no-account").SetName("RemoveUserAccount_NoAccountGiven_Answers100AndChangesNothing");
        yield return new TestCaseData("RemoveUserAccount", "no-user").SetName("RemoveUserAccount_NoUserGiven_Answers100AndChangesNothing");
        yield return new TestCaseData("RemoveUserAccount", "missing-account-id").SetName("RemoveUserAccount_MissingAccountId_Answers104NamingTheAccount");
        yield return new TestCaseData("RemoveUserAccount", "missing-user-name").SetName("RemoveUserAccount_MissingUserName_Answers104NamingTheUser");
    }

    [TestCaseSource(nameof(Refusals))]
    public async Task LinkCall_BadIdentification_IsRefusedAndChangesNothing(string function, string situation)
    {
        var (userId, _, accountId, _) = await PairAsync();
        var (otherUser, otherName, _, otherHandle) = await PairAsync();
        // RemoveUserAccount would answer 104 for an unlinked pair anyway; linked, only the identification can refuse it.
        await Admin.LinkAsync(userId, accountId);
        var (payload, expected) = situation switch
        {
            "account-mismatch" => (Json(new { accountId, accountHandle = otherHandle, userId }), Std.Error(100, "accountId and accountHandle name different accounts")),
            "user-mismatch" => (Json(new { accountId, userId, userName = otherName }), Std.Error(100, "userId and userName name different users")),
            "no-account" => (Json(new { accountId = 0, accountHandle = "", userId, userName = "" }), Std.Error(100, $"{function} needs accountId or accountHandle")),
            "no-user" => (Json(new { accountId, accountHandle = "", userId = 0, userName = "" }), Std.Error(100, $"{function} needs userId or userName")),
            "missing-account-id" => (Json(new { accountId = 777777, userId }), Std.Error(104, "accountId 777777 does not exist")),
            "missing-handle" => (Json(new { accountHandle = "no-such-handle", userId }), Std.Error(104, "accountHandle 'no-such-handle' does not exist")),
            "missing-user-id" => (Json(new { accountId, userId = 777777 }), Std.Error(104, "userId 777777 does not exist")),
            "missing-user-name" => (Json(new { accountId, userName = "no-such-user" }), Std.Error(104, "userName 'no-such-user' does not exist")),
            _ => throw new ArgumentOutOfRangeException(nameof(situation)),
        };
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync(function, payload);

        Assert.That(reply.O, Is.EqualTo(expected));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
        Assert.That(await Admin.UserAccountsAsync(otherUser), Is.EqualTo("[]"));
    }

    [Test]
    public async Task AddUserAccount_AlreadyLinked_SucceedsAndChangesNothing()
    {
        var (userId, userName, accountId, handle) = await PairAsync();
        await Admin.LinkAsync(userId, accountId);
        var before = await Host.SnapshotExceptAsync("audit_log");

        var reply = await Admin.CallAsync("AddUserAccount", Json(new { accountHandle = handle, userName }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.SnapshotExceptAsync("audit_log"), Is.EqualTo(before));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
    }

    [Test]
    public async Task RemoveUserAccount_NotLinked_Answers104NamingBothIdsAndChangesNothing()
    {
        var (userId, _, accountId, _) = await PairAsync();
        // Distinct ids, so the detail shows which is which.
        while (accountId <= userId)
            accountId = await Admin.AddAccountAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("RemoveUserAccount", Json(new { accountId, userId }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"user {userId} is not assigned to account {accountId}")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RemoveUserAccount_Linked_BreaksOnlyTheLink()
    {
        var (userId, userName, accountId, handle) = await PairAsync();
        await Admin.LinkAsync(userId, accountId);

        var reply = await Admin.CallAsync("RemoveUserAccount", Json(new { accountHandle = handle, userName }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo("[]"));
        Assert.That((await Admin.CallAsync("GetAccountUsers", Json(new { AccountId = accountId }))).O, Is.EqualTo("[]"));
        Assert.That((await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId }))).Payload.GetProperty("UserName").GetString(), Is.EqualTo(userName));
        Assert.That((await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).Payload.GetProperty("AccountHandle").GetString(), Is.EqualTo(handle));
    }

    [Test]
    public async Task AddUserAccount_FirstLink_BecomesTheDefaultAndLaterLinksDoNotChangeIt()
    {
        var userId = await Admin.CreateUserAsync(Unique("def"));
        var low = await Admin.AddAccountAsync();
        var high = await Admin.AddAccountAsync();
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.Zero, "a new user starts with no account");

        await Admin.LinkAsync(userId, high);
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(high), "the first account linked");
        await Admin.LinkAsync(userId, low);
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(high), "a later, lower account does not take over");
    }

    [Test]
    public async Task RemoveUserAccount_DefaultAccount_MovesToLowestRemainingThenZero()
    {
        var userId = await Admin.CreateUserAsync(Unique("move"));
        int[] ids = [await Admin.AddAccountAsync(), await Admin.AddAccountAsync(), await Admin.AddAccountAsync()];
        foreach (var id in new[] { ids[1], ids[2], ids[0] })
            await Admin.LinkAsync(userId, id);
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(ids[1]));

        await Admin.CallAsync("RemoveUserAccount", Json(new { accountId = ids[0], userId }));
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(ids[1]), "unlinking another account keeps the default");
        await Admin.CallAsync("RemoveUserAccount", Json(new { accountId = ids[1], userId }));
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(ids[2]), "the lowest remaining");
        await Admin.CallAsync("RemoveUserAccount", Json(new { accountId = ids[2], userId }));
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.Zero, "none left");
    }

    [TestCase(false, false, "[]")]
    [TestCase(true, false, "[0]")]
    [TestCase(false, true, "[1]")]
    [TestCase(true, true, "[0,1]")]
    public async Task AddUserAccount_AccountFlags_LinkGetsDerivedPermissions(bool view, bool order, string expected)
    {
        var userName = Unique("perm");
        var userId = await Admin.CreateUserAsync(userName);
        var accountId = await Admin.AddAccountAsync(view: view, order: order);

        await Admin.LinkAsync(userId, accountId);

        var users = await Admin.CallAsync("GetAccountUsers", Json(new { AccountId = accountId }));
        Assert.That(users.O, Is.EqualTo($"[{{\"UserId\":{userId},\"UserName\":\"{userName}\",\"AccountUserPermissions\":{expected}}}]"));
    }
}
