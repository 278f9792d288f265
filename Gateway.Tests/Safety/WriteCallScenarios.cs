using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;

namespace Gateway.Tests.Safety;

/// <summary>
/// One valid call of every write call in the catalog, with the state it needs made first through the API: what the
/// dry-run and catalog tests run. A write call added to the catalog without a scenario here fails the catalog test.
/// </summary>
public static class WriteCallScenarios
{
    /// <summary>Fields a call generates at random each time (a key and its secret, a TOTP seed): masked before replies are compared.</summary>
    public static readonly string[] Generated = ["APIKey", "APISecret", "ManualCode", "OtpAuthUri"];

    private static readonly string[] NewIds = ["Id", "UserId", "AccountId", "AffiliateId"];

    public static IEnumerable<string> Functions => Prepare.Keys.Order(StringComparer.Ordinal);

    /// <summary>Write calls that change nothing a client can read and so, by calls-next.md, write no audit row.</summary>
    public static readonly string[] Unaudited = ["ResetPassword"];

    /// <summary>Where the hosts that run these scenarios write their mail (ResetPassword2 needs the mailed code).</summary>
    public static readonly Mailbox Mail = Mailbox.Create();

    /// <summary>What a host needs for every scenario to succeed: registration on, mail to <see cref="Mail"/>, the public limits lifted.</summary>
    public static string[] HostSettings =>
    [
        .. Mail.Settings, "--Gateway:Registration:Enabled=true", "--Gateway:Registration:PerAddressPerHour=1000000", "--Gateway:Registration:PerHour=1000000",
        "--Gateway:PasswordReset:PerAddressPerHour=1000000", "--Gateway:PasswordReset:PerUserNamePerHour=1000000",
        "--Gateway:PasswordReset:CodeChecksPerAddressPerHour=1000000",
    ];

    /// <summary>Makes what <paramref name="function"/> needs and returns its payload.</summary>
    public static Task<string> PrepareAsync(string function, TestClient admin) => Prepare[function](admin);

    private static readonly Dictionary<string, Func<TestClient, Task<string>>> Prepare = new(StringComparer.Ordinal)
    {
        ["CreateUser"] = admin => Task.FromResult(Json(new { UserInfo = new { UserName = AccountSteps.Unique("dry"), Password = "password-123" } })),
        ["SetUserInfo"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("set")), FirstName = "Dry" }),
        ["UnLockUser"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("unlock")) }),
        ["AddUserPermission"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("grant")), Permission = "GetAuditLog", Value = 1 }),
        ["RevokeUserPermission"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("revoke")), Permission = "Deposit" }),
        ["AddAccount"] = admin => Task.FromResult(Json(new { AccountName = "dry account", AccountHandle = AccountSteps.Unique("acct") })),
        ["AddUserAccount"] = async admin => Json(new { accountId = await admin.AddAccountAsync(), userId = await admin.CreateUserAsync(AccountSteps.Unique("link")) }),
        ["RemoveUserAccount"] = async admin =>
        {
            var (user, account) = (await admin.CreateUserAsync(AccountSteps.Unique("unlink")), await admin.AddAccountAsync());
            await admin.LinkAsync(user, account);
            return Json(new { accountId = account, userId = user });
        },
        ["AddUserAffiliateTag"] = async admin => Json(new { userId = await admin.CreateUserAsync(AccountSteps.Unique("tag")), affiliateTag = Tag() }),
        ["UpdateUserAffiliateTag"] = async admin => Json(new { userId = await TaggedUserAsync(admin), affiliateTag = Tag() }),
        ["RemoveUserAffiliateTag"] = async admin => Json(new { userId = await TaggedUserAsync(admin) }),
        ["AddUserAPIKey"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("key")), Permissions = new[] { "Trading" } }),
        ["RemoveUserAPIKey"] = async admin =>
        {
            var user = await admin.CreateUserAsync(AccountSteps.Unique("unkey"));
            return Json(new { UserId = user, APIKey = (await admin.AddKeyAsync(user, "Trading")).Key });
        },
        ["RegisterNewUser"] = admin => Task.FromResult(Registration("reg")),
        ["RegisterUser"] = admin => Task.FromResult(Registration("regu")),
        ["ResetPassword"] = async admin => Json(new { UserName = (await PasswordReset.ResetSteps.CreateMailUserAsync(admin, "forgot")).Name }),
        ["ResetPassword2"] = async admin =>
        {
            var (userId, name, email) = await PasswordReset.ResetSteps.CreateMailUserAsync(admin, "reset2");
            var asked = await admin.CallAsync("ResetPassword", Json(new { UserName = name }));
            Assert.That(asked.O, Is.EqualTo(Std.Ok));
            return PasswordReset.ResetSteps.Confirm(userId, "second-password-2", (await Mail.ResetLinkAsync(email)).Code);
        },
        ["EnableGoogle2FA"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("totp")) }),
        ["Disable2FA"] = async admin =>
        {
            var user = await admin.CreateUserAsync(AccountSteps.Unique("untotp"));
            var enabled = await admin.CallAsync("EnableGoogle2FA", Json(new { UserId = user }));
            Assert.That(enabled.ErrorCode(), Is.Zero, enabled.O);
            return Json(new { UserId = user });
        },
        ["SetUserConfig"] = async admin => Json(new { UserId = await admin.CreateUserAsync(AccountSteps.Unique("cfg")), Config = new[] { new { Key = "Language", Value = "en" } } }),
        ["RemoveUserConfig"] = async admin =>
        {
            var user = await admin.CreateUserAsync(AccountSteps.Unique("uncfg"));
            var set = await admin.CallAsync("SetUserConfig", Json(new { UserId = user, Config = new[] { new { Key = "Language", Value = "en" } } }));
            Assert.That(set.ErrorCode(), Is.Zero, set.O);
            return Json(new { UserId = user, Key = "Language" });
        },
        ["SetAccountConfig"] = async admin => Json(new { AccountId = await admin.AddAccountAsync(), Config = new { Key = "Desk", Value = "fx" } }),
        ["RemoveAccountConfig"] = async admin =>
        {
            var account = await admin.AddAccountAsync();
            var set = await admin.CallAsync("SetAccountConfig", Json(new { AccountId = account, Config = new { Key = "Desk", Value = "fx" } }));
            Assert.That(set.ErrorCode(), Is.Zero, set.O);
            return Json(new { AccountId = account, Key = "Desk" });
        },
        ["UpdateAccount"] = async admin => Json(new { AccountId = await admin.AddAccountAsync(), AccountName = "renamed", VerificationLevel = 2 }),
    };

    /// <summary><paramref name="payload"/> with <c>"key":value</c> added as its last key.</summary>
    public static string With(string payload, string key, object value)
    {
        var body = JsonNode.Parse(payload)!.AsObject();
        body[key] = JsonSerializer.SerializeToNode(value);
        return body.ToJsonString();
    }

    /// <summary>A reply with the <see cref="Generated"/> fields replaced by a fixed text.</summary>
    public static string Masked(string reply)
    {
        if (JsonNode.Parse(reply) is not JsonObject body)
            return reply;
        foreach (var field in Generated.Where(body.ContainsKey))
            body[field] = "(generated)";
        // A PostgreSQL sequence does not roll back with a dry run, so the real call gets the next id (ids may skip
        // numbers there, as docs/postgres-dialect.md says); the ids are compared on SQLite only.
        if (TestProvider.IsPostgres)
        {
            foreach (var field in NewIds.Where(body.ContainsKey))
                body[field] = "(new id)";
        }
        return body.ToJsonString();
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string Registration(string prefix)
    {
        var name = prefix + "." + Guid.NewGuid().ToString("N")[..10];
        return Json(new { UserInfo = new { UserName = name, Email = name + "@mail.example", passwordHash = "long-password-1" } });
    }

    private static string Tag() => "t_" + Guid.NewGuid().ToString("N")[..12];

    private static async Task<int> TaggedUserAsync(TestClient admin)
    {
        var user = await admin.CreateUserAsync(AccountSteps.Unique("tagged"));
        var tagged = await admin.CallAsync("AddUserAffiliateTag", Json(new { userId = user, affiliateTag = Tag() }));
        Assert.That(tagged.ErrorCode(), Is.Zero, tagged.O);
        return user;
    }
}
