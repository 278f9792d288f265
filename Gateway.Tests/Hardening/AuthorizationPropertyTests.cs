using Gateway.Core.Dispatch;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Hardening;

/// <summary>
/// An authorization property over 2,000 random (caller, call, target) triples where the caller is a non-operator, or
/// an Operator's API key narrowed to one umbrella permission, and the target is another user's data. Every one answers
/// 20, and the database (audit log included) is unchanged.
/// </summary>
[TestFixture]
public sealed class AuthorizationPropertyTests : HostFixture
{
    private const int Triples = 2000;
    private const int InFlightPerSocket = 32;

    // Calls that name no existing user or account: they make new rows, list names or check the whole audit log.
    // Batch names no target itself: each of its items is authorized as its own call (BatchTests).
    // UnsubscribeUserEvents acts on the calling socket's own subscriptions only (another user's id answers 104).
    private static readonly string[] NamesNoTarget = ["CreateUser", "AddAccount", "GetAvailablePermissionList", "VerifyAuditLog", "Batch", "GetUsers", "GetAccounts", "UnsubscribeUserEvents"];

    private static readonly string[][] CallerPermissions =
    [
        ["Trading"], ["AccountReadOnly"], ["Deposit"], [], ["Withdraw"], ["Deposit", "Trading", "Withdraw", "AccountReadOnly"],
    ];

    // Keys of the Operator itself, each narrowed to one umbrella: they must act as that umbrella, never as an Operator.
    private static readonly string[] OperatorKeyPermissions = ["Trading", "AccountReadOnly", "Deposit", "Withdraw"];

    private sealed record Party(int UserId, string UserName, int AccountId);

    private delegate object PayloadFor(Party target, Random random, string targetKey);

    // Every non-public call that names a user or an account, with a payload aimed at the target's data.
    private static readonly (string Function, PayloadFor Payload)[] Calls =
    [
        ("GetUserInfo", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("SetUserInfo", (t, _, _) => new { UserId = t.UserId, FirstName = "Hijacked" }),
        ("UnLockUser", (t, _, _) => new { UserId = t.UserId }),
        ("GetUserPermissions", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("AddUserPermission", (t, r, _) => new { UserId = t.UserId, Permission = r.Next(2) == 0 ? "AccountReadOnly" : "Operator" }),
        ("RevokeUserPermission", (t, _, _) => new { UserId = t.UserId, Permission = "Trading" }),
        ("GetAccountInfo", (t, _, _) => new { AccountId = t.AccountId }),
        ("GetUserAccounts", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("GetUserAccountInfos", (t, _, _) => new { UserId = t.UserId }),
        ("GetAccountUsers", (t, _, _) => new { AccountId = t.AccountId }),
        ("AddUserAccount", (t, r, _) => r.Next(2) == 0 ? new { userId = t.UserId, accountId = t.AccountId } : new { userName = t.UserName, accountId = t.AccountId }),
        ("RemoveUserAccount", (t, _, _) => new { userId = t.UserId, accountId = t.AccountId }),
        ("AddUserAffiliateTag", (t, r, _) => new { UserId = t.UserId, AffiliateTag = "stolen" + r.Next(1000) }),
        ("GetUserAffiliateTag", (t, _, _) => new { UserId = t.UserId }),
        ("UpdateUserAffiliateTag", (t, r, _) => new { UserId = t.UserId, AffiliateTag = "renamed" + r.Next(1000) }),
        ("RemoveUserAffiliateTag", (t, _, _) => new { UserId = t.UserId }),
        ("GetUserAffiliateCount", (t, _, _) => new { UserId = t.UserId }),
        ("AddUserAPIKey", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId, Permissions = new[] { "Trading" } } : new { UserName = t.UserName, Permissions = new[] { "Deposit" } }),
        ("GetUserAPIKeys", (t, _, _) => new { UserId = t.UserId }),
        ("RemoveUserAPIKey", (t, _, key) => new { UserId = t.UserId, APIKey = key }),
        ("EnableGoogle2FA", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("Disable2FA", (t, _, _) => new { UserId = t.UserId }),
        ("GetAuditLog", (t, _, _) => new { UserId = t.UserId }),
        ("GetUserConfig", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("SetUserConfig", (t, r, _) => r.Next(2) == 0
            ? new { UserId = t.UserId, Config = new[] { new { Key = "Language", Value = "xx" } } }
            : new { UserName = t.UserName, Config = new[] { new { Key = "levelIncreaseStatus", Value = "pass" } } }),
        ("RemoveUserConfig", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId, Key = "Language" } : new { UserName = t.UserName, Key = "levelIncreaseStatus" }),
        ("GetAccountConfig", (t, _, _) => new { AccountId = t.AccountId }),
        ("SetAccountConfig", (t, _, _) => new { AccountId = t.AccountId, Config = new[] { new { Key = "Desk", Value = "stolen" } } }),
        ("RemoveAccountConfig", (t, _, _) => new { AccountId = t.AccountId, Key = "Desk" }),
        ("UpdateAccount", (t, r, _) => new { AccountId = t.AccountId, VerificationLevel = 255, RiskType = 2 }),
        ("GetUserAffiliates", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserName = t.UserName }),
        ("GetRecentAffiliateRegistrations", (t, _, _) => new { UserId = t.UserId }),
        ("SubscribeUserEvents", (t, r, _) => r.Next(2) == 0 ? new { UserId = t.UserId } : new { UserId = 0 }),
    ];

    [Test]
    public void Calls_CoverEveryNonPublicCallThatNamesAUserOrAccount()
    {
        var registry = Host.App.Services.GetRequiredService<HandlerRegistry>();
        var expected = registry.All.Where(h => !h.Requires.IsPublic && !h.Name.StartsWith("Test", StringComparison.Ordinal) && !NamesNoTarget.Contains(h.Name))
            .Select(h => h.Name).Order(StringComparer.Ordinal);

        Assert.That(Calls.Select(c => c.Function).Order(StringComparer.Ordinal), Is.EqualTo(expected));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task RandomTriples_NonOperatorOnAnotherUsersData_AllAnswer20AndChangeNothing()
    {
        var seed = TestSeed.Next("authorization property");
        using var admin = await Host.ConnectAdminAsync();
        var callers = new List<(Party Party, TestClient Client, string Key, string Label)>();
        foreach (var permissions in CallerPermissions)
        {
            var (party, client, key) = await NewCallerAsync(admin, permissions);
            callers.Add((party, client, key, $"user [{string.Join(",", permissions)}]"));
        }
        foreach (var permission in OperatorKeyPermissions)
            callers.Add((new Party(1, "admin", 1), await OperatorKeySocketAsync(admin, permission), "", $"Operator's key [{permission}]"));
        var victims = new List<(Party Party, string Key)>();
        for (var n = 0; n < 3; n++)
            victims.Add(await NewVictimAsync(admin));
        // A target is a victim or another caller: never the caller itself, never an account it is linked to.
        var everyone = victims.Concat(callers.Where(c => c.Party.UserId != 1).Select(c => (c.Party, c.Key))).ToList();

        var random = new Random(seed);
        var plan = Enumerable.Range(0, Triples).Select(_ =>
        {
            var caller = random.Next(callers.Count);
            var targets = everyone.Where(t => t.Party.UserId != callers[caller].Party.UserId).ToList();
            var (party, key) = targets[random.Next(targets.Count)];
            var (function, payload) = Calls[random.Next(Calls.Length)];
            return (Caller: caller, Function: function, Payload: Json(payload(party, random, key)));
        }).ToList();
        var before = await Host.SnapshotAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var failures = await Task.WhenAll(Enumerable.Range(0, callers.Count).Select(c =>
            RunAsync(callers[c].Client, callers[c].Label, plan.Where(p => p.Caller == c).Select(p => (p.Function, p.Payload)).ToList())));

        TestContext.Out.WriteLine($"{Triples} triples over {callers.Count} sockets in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(failures.SelectMany(f => f), Is.Empty, $"seed {seed}");
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), $"seed {seed}: a refused call changed the database");
        foreach (var caller in callers)
            caller.Client.Dispose();
    }

    private static async Task<List<string>> RunAsync(TestClient client, string label, List<(string Function, string Payload)> calls)
    {
        var failures = new List<string>();
        using var window = new SemaphoreSlim(InFlightPerSocket);
        var replies = calls.Select(async call =>
        {
            await window.WaitAsync();
            try
            {
                var reply = await client.CallAsync(call.Function, call.Payload);
                return reply.ErrorCode() == 20 ? null : $"{label}: {call.Function} {call.Payload} answered {reply.O}";
            }
            finally
            {
                window.Release();
            }
        }).ToList();
        foreach (var failure in await Task.WhenAll(replies))
        {
            if (failure is not null)
                failures.Add(failure);
        }
        return failures;
    }

    // A non-operator holding exactly the given permissions, linked to an account of its own, with an API key and a tag.
    private async Task<(Party Party, TestClient Client, string Key)> NewCallerAsync(TestClient admin, string[] permissions)
    {
        var victim = await NewVictimAsync(admin);
        foreach (var name in new[] { "Deposit", "Trading", "Withdraw", "AccountReadOnly" })
        {
            var function = permissions.Contains(name) ? "AddUserPermission" : "RevokeUserPermission";
            if (function == "AddUserPermission" || name != "AccountReadOnly")
                Assert.That((await admin.CallAsync(function, Json(new { victim.Party.UserId, Permission = name }))).O, Is.EqualTo(Std.Ok));
        }
        var client = await Host.ConnectAsync();
        await client.LoginAsync(victim.Party.UserName, "password-123");
        return (victim.Party, client, victim.Key);
    }

    private async Task<TestClient> OperatorKeySocketAsync(TestClient admin, string permission)
    {
        var key = await admin.AddKeyAsync(1, permission);
        var client = await Host.ConnectAsync();
        var login = await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        Assert.That(login.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login.O);
        return client;
    }

    private static async Task<(Party Party, string Key)> NewVictimAsync(TestClient admin)
    {
        var userName = Unique("prop");
        var userId = await admin.CreateUserAsync(userName);
        var accountId = await admin.AddAccountAsync();
        await admin.LinkAsync(userId, accountId);
        var key = await admin.AddKeyAsync(userId, "Trading");
        Assert.That((await admin.CallAsync("AddUserAffiliateTag", Json(new { UserId = userId, AffiliateTag = Unique("tag") }))).O, Is.EqualTo(Std.Ok));
        return (new Party(userId, userName, accountId), key.Key);
    }
}
