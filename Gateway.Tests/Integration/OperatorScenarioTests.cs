using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>A scripted operator session: users, accounts, links, permissions, tags, unlinking, checked after every step.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class OperatorScenarioTests : HostFixture
{
    private sealed record UserState(string Accounts, int DefaultAccount, string Permissions, string Tag, int Count);

    [Test]
    public async Task OperatorScenario_TwoUsersTwoAccounts_EveryStepReadsBackAndIsAudited()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (op, opId) = await Host.ConnectNewUserAsync(admin, Unique("scenario-op"));
        using var _ = op;
        Assert.That((await admin.CallAsync("AddUserPermission", Json(new { UserId = opId, Permission = "Operator" }))).O, Is.EqualTo(Std.Ok));
        var log = new List<string>();

        async Task Step(string function, object payload, string change)
        {
            var reply = await op.CallAsync(function, Json(payload));
            Assert.That(reply.ErrorCode(), Is.Zero, $"{function}: {reply.O}");
            log.Add($"{function}: {change}");
        }

        async Task Check(string step, int userId, UserState expected)
        {
            var tag = await op.AffiliateTagAsync(userId);
            var actual = new UserState(
                await op.UserAccountsAsync(userId),
                await op.DefaultAccountAsync(userId),
                (await op.CallAsync("GetUserPermissions", Json(new { UserId = userId }))).O,
                tag == "[]" ? "" : (await op.CallAsync("GetUserAffiliateTag", Json(new { UserId = userId }))).Payload[0].GetProperty("AffiliateTag").GetString()!,
                (await op.CallAsync("GetUserAffiliateCount", Json(new { UserId = userId }))).Payload.GetProperty("Count").GetInt32());
            Assert.That(actual, Is.EqualTo(expected), $"{step}: user {userId}");
            var records = (await op.AuditAsync(new { UserId = opId, Limit = 1000 })).EnumerateArray().Reverse()
                .Where(r => r.GetProperty("Function").GetString() != "AuthenticateUser")
                .Select(r => $"{r.GetProperty("Function").GetString()}: {r.GetProperty("Change").GetString()}");
            Assert.That(records, Is.EqualTo(log), $"{step}: the audit log");
        }

        const string Defaults = "[\"Deposit\",\"Trading\",\"Withdraw\"]";

        // 1. Two users and two accounts.
        var aliceName = Unique("alice");
        var bobName = Unique("bob");
        var alice = await op.CreateUserAsync(aliceName);
        log.Add($"CreateUser: user {alice} '{aliceName}' created");
        var bob = await op.CreateUserAsync(bobName);
        log.Add($"CreateUser: user {bob} '{bobName}' created");
        var xHandle = Unique("x");
        var x = await op.AddAccountAsync(xHandle, view: true, name: "X");
        log.Add($"AddAccount: account {x} 'X' created");
        var y = await op.AddAccountAsync(order: true, name: "Y");
        log.Add($"AddAccount: account {y} 'Y' created");
        await Check("created", alice, new("[]", 0, Defaults, "", 0));
        await Check("created", bob, new("[]", 0, Defaults, "", 0));

        // 2. Link: alice to y then x (by handle and name), bob to y.
        await Step("AddUserAccount", new { accountId = y, userId = alice }, $"user {alice} linked to account {y}");
        await Step("AddUserAccount", new { accountHandle = xHandle, userName = aliceName }, $"user {alice} linked to account {x}");
        await Step("AddUserAccount", new { accountId = y, userName = bobName }, $"user {bob} linked to account {y}");
        await Check("linked", alice, new($"[{x},{y}]", y, Defaults, "", 0));
        await Check("linked", bob, new($"[{y}]", y, Defaults, "", 0));
        Assert.That((await op.CallAsync("GetAccountUsers", Json(new { AccountId = y }))).O, Is.EqualTo(
            $"[{{\"UserId\":{alice},\"UserName\":\"{aliceName}\",\"AccountUserPermissions\":[1]}},{{\"UserId\":{bob},\"UserName\":\"{bobName}\",\"AccountUserPermissions\":[1]}}]"));

        // 3. Permissions: bob becomes read-only.
        await Step("AddUserPermission", new { UserId = bob, Permission = "accountreadonly" }, $"granted AccountReadOnly to user {bob}");
        await Step("RevokeUserPermission", new { UserId = bob, Permission = "Trading" }, $"revoked Trading from user {bob}");
        await Check("permissions", alice, new($"[{x},{y}]", y, Defaults, "", 0));
        await Check("permissions", bob, new($"[{y}]", y, "[\"AccountReadOnly\",\"Deposit\",\"Withdraw\"]", "", 0));

        // 4. Tag alice, and a third user arrives through her tag.
        var tag = "scn_" + Guid.NewGuid().ToString("N")[..10];
        Assert.That((await op.CallAsync("AddUserAffiliateTag", Json(new { omsId = 1, userId = alice, affiliateId = 0, affiliateTag = tag }))).O, Is.EqualTo(Std.Ok));
        var affiliateId = (await op.CallAsync("GetUserAffiliateTag", Json(new { UserId = alice }))).Payload[0].GetProperty("AffiliateId").GetInt32();
        log.Add($"AddUserAffiliateTag: user {alice} tagged '{tag}' with AffiliateId {affiliateId}");
        var carolName = Unique("carol");
        var carol = (await op.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = carolName, Password = "password-123" }, AffiliateTag = tag }))).Payload.GetProperty("UserId").GetInt32();
        log.Add($"CreateUser: user {carol} '{carolName}' created");
        await Check("tagged", alice, new($"[{x},{y}]", y, Defaults, tag, 1));
        await Check("tagged", bob, new($"[{y}]", y, "[\"AccountReadOnly\",\"Deposit\",\"Withdraw\"]", "", 0));
        await Check("tagged", carol, new("[]", 0, Defaults, "", 0));

        // 5. Unlink: alice leaves y (her default), bob leaves y (his only account).
        await Step("RemoveUserAccount", new { accountId = y, userId = alice }, $"user {alice} unlinked from account {y}");
        await Step("RemoveUserAccount", new { accountHandle = "", accountId = y, userId = 0, userName = bobName }, $"user {bob} unlinked from account {y}");
        await Check("unlinked", alice, new($"[{x}]", x, Defaults, tag, 1));
        await Check("unlinked", bob, new("[]", 0, "[\"AccountReadOnly\",\"Deposit\",\"Withdraw\"]", "", 0));
        Assert.That((await op.CallAsync("GetAccountUsers", Json(new { AccountId = y }))).O, Is.EqualTo("[]"));
        Assert.That((await op.CallAsync("GetAccountInfo", Json(new { AccountId = y }))).Payload.GetProperty("AccountName").GetString(), Is.EqualTo("Y"), "accounts are never deleted");
    }
}
