using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>
/// Every write's audit record names whom it changed and holds the changed entity before and after: exactly what the
/// read calls answered just before and just after the write.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AuditStateTests : AdminFixture
{
    private static readonly string[] KeyPermissions = ["AccountReadOnly", "Trading"];
    private static readonly string[] LoginThenLogOut = ["AuthenticateUser", "LogOut"];
    private static readonly string[] RecordFields =
        ["Id", "Time", "UserId", "SessionId", "Function", "Payload", "Change", "TargetUserId", "TargetAccountId", "Before", "After", "Hash"];

    private sealed record Expected(string Function, int? TargetUserId, int? TargetAccountId, JsonNode? Before, JsonNode? After);

    private async Task<JsonNode?> ReadAsync(string function, object payload)
    {
        var reply = await Admin.CallAsync(function, Json(payload));
        Assert.That(reply.ErrorCode(), Is.Zero, $"{function}: {reply.O}");
        return JsonNode.Parse(reply.O);
    }

    private async Task OkAsync(string function, object payload)
    {
        var reply = await Admin.CallAsync(function, Json(payload));
        Assert.That(reply.O, Does.Contain("\"result\":true").Or.Contain("\"Success\":true").Or.Contain("\"APIKey\""), $"{function}: {reply.O}");
    }

    private Task<JsonNode?> UserAsync(int userId) => ReadAsync("GetUserInfo", new { UserId = userId });

    private async Task<JsonNode?> PermissionsAsync(int userId) => new JsonObject { ["Permissions"] = await ReadAsync("GetUserPermissions", new { UserId = userId }) };

    private async Task<JsonNode?> LinksAsync(int userId) => new JsonObject { ["AccountIds"] = await ReadAsync("GetUserAccounts", new { UserId = userId }) };

    private async Task<JsonNode?> KeysAsync(int userId) => new JsonObject { ["APIKeys"] = await ReadAsync("GetUserAPIKeys", new { UserId = userId }) };

    private async Task<JsonNode?> TagAsync(int userId) =>
        (await ReadAsync("GetUserAffiliateTag", new { UserId = userId }))!.AsArray().SingleOrDefault() is JsonObject tag
            ? new JsonObject { ["AffiliateId"] = tag["AffiliateId"]!.DeepClone(), ["AffiliateTag"] = tag["AffiliateTag"]!.DeepClone() }
            : null;

    private async Task<long> NewestIdAsync() => (await Admin.AuditAsync(new { Limit = 1 }))[0].GetProperty("Id").GetInt64();

    /// <summary>Reads the state, runs the step, reads it again, and returns what the step's one audit record must hold.</summary>
    private async Task<(Expected Expected, JsonElement Record)> StepAsync(
        string function, Func<Task> step, Func<Task<JsonNode?>> read, Func<(int?, int?)> targets, bool creates = false)
    {
        var newest = await NewestIdAsync();
        var before = creates ? null : await read();
        await step();
        var after = await read();
        var records = await Admin.AuditAsync(new { FromId = newest, Function = function });
        Assert.That(records.GetArrayLength(), Is.EqualTo(1), $"{function} must leave exactly one record: {records}");
        var (user, account) = targets();
        return (new Expected(function, user, account, before, after), records[0]);
    }

    private static void AssertMatches(Expected expected, JsonElement record)
    {
        var text = $"{expected.Function}: {record.GetRawText()}";
        Assert.That(Nullable(record, "TargetUserId"), Is.EqualTo(expected.TargetUserId), text);
        Assert.That(Nullable(record, "TargetAccountId"), Is.EqualTo(expected.TargetAccountId), text);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(record.GetProperty("Before").GetRawText()), expected.Before), Is.True,
            $"{text}\nBefore should be {expected.Before?.ToJsonString() ?? "null"}");
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(record.GetProperty("After").GetRawText()), expected.After), Is.True,
            $"{text}\nAfter should be {expected.After?.ToJsonString() ?? "null"}");
        Assert.That(record.GetProperty("Hash").GetString(), Does.Match("^[0-9a-f]{64}$"), text);
    }

    private static int? Nullable(JsonElement record, string name) =>
        record.GetProperty(name).ValueKind == JsonValueKind.Null ? null : record.GetProperty(name).GetInt32();

    [Test]
    public async Task AuditRecords_ScriptedScenario_BeforeAndAfterMatchTheReadCalls()
    {
        var userId = 0;
        var (accountA, accountB, accountC) = (0, 0, 0);
        var external = Unique("ext");
        var (tag, replaced, renamed) = ("t_" + Guid.NewGuid().ToString("N")[..12], "r_" + Guid.NewGuid().ToString("N")[..12], "u_" + Guid.NewGuid().ToString("N")[..12]);
        TestApiKey? key = null;
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var steps = new List<(Expected, JsonElement)>
        {
            await StepAsync("CreateUser", async () => userId = await Admin.CreateUserAsync(Unique("audited")),
                () => UserAsync(userId), () => (userId, null), creates: true),
            await StepAsync("AddUserPermission", () => OkAsync("AddUserPermission", new { UserId = userId, Permission = "AccountReadOnly" }),
                () => PermissionsAsync(userId), () => (userId, null)),
            await StepAsync("AddUserPermission", () => OkAsync("AddUserPermission", new { UserId = userId, Permission = "AccountReadOnly" }),
                () => PermissionsAsync(userId), () => (userId, null)),
            await StepAsync("RevokeUserPermission", () => OkAsync("RevokeUserPermission", new { UserId = userId, Permission = "Deposit" }),
                () => PermissionsAsync(userId), () => (userId, null)),
            await StepAsync("AddUserPermission", () => OkAsync("AddUserPermission", new { UserId = userId, Permission = "Withdraw", Value = 0 }),
                () => PermissionsAsync(userId), () => (userId, null)),
            await StepAsync("AddAccount", async () => accountA = await Admin.AddAccountAsync(),
                () => ReadAsync("GetAccountInfo", new { AccountId = accountA }), () => (null, accountA), creates: true),
            await StepAsync("AddAccount", async () => accountB = await Admin.AddAccountAsync(),
                () => ReadAsync("GetAccountInfo", new { AccountId = accountB }), () => (null, accountB), creates: true),
            await StepAsync("AddUserAccount", () => Admin.LinkAsync(userId, accountA), () => LinksAsync(userId), () => (userId, accountA)),
            await StepAsync("AddUserAccount", () => Admin.LinkAsync(userId, accountB), () => LinksAsync(userId), () => (userId, accountB)),
            await StepAsync("RemoveUserAccount", () => OkAsync("RemoveUserAccount", new { accountId = accountA, userId }),
                () => LinksAsync(userId), () => (userId, accountA)),
            await StepAsync("AddUserAffiliateTag", () => OkAsync("AddUserAffiliateTag", new { userId, affiliateTag = tag }),
                () => TagAsync(userId), () => (userId, null)),
            await StepAsync("AddUserAffiliateTag", () => OkAsync("AddUserAffiliateTag", new { userId, affiliateTag = replaced }),
                () => TagAsync(userId), () => (userId, null)),
            await StepAsync("UpdateUserAffiliateTag", () => OkAsync("UpdateUserAffiliateTag", new { userId, affiliateTag = renamed }),
                () => TagAsync(userId), () => (userId, null)),
            await StepAsync("RemoveUserAffiliateTag", () => OkAsync("RemoveUserAffiliateTag", new { UserId = userId }),
                () => TagAsync(userId), () => (userId, null)),
            await StepAsync("AddUserAPIKey", async () => key = await Admin.AddKeyAsync(userId, "Trading"),
                () => KeysAsync(userId), () => (userId, null)),
            await StepAsync("AddUserAPIKey", () => OkAsync("AddUserAPIKey", new { UserId = userId, Permissions = KeyPermissions }),
                () => KeysAsync(userId), () => (userId, null)),
            await StepAsync("RemoveUserAPIKey", () => OkAsync("RemoveUserAPIKey", new { UserId = userId, APIKey = key!.Key }),
                () => KeysAsync(userId), () => (userId, null)),
            await StepAsync("SetUserInfo", () => OkUserAsync("SetUserInfo", new { UserId = userId, FirstName = "Grace", ExternalUserId = external, Locked = true }),
                () => UserAsync(userId), () => (userId, null)),
            await StepAsync("UnLockUser", () => OkAsync("UnLockUser", new { UserId = userId }), () => UserAsync(userId), () => (userId, null)),
            await StepAsync("EnableGoogle2FA", () => OkUserAsync("EnableGoogle2FA", new { UserId = userId }), () => UserAsync(userId), () => (userId, null)),
            await StepAsync("Disable2FA", () => OkAsync("Disable2FA", new { UserId = userId }), () => UserAsync(userId), () => (userId, null)),
            await StepAsync("AddAccount", async () => accountC = await Admin.AddAccountAsync(),
                () => ReadAsync("GetAccountInfo", new { AccountId = accountC }), () => (null, accountC), creates: true),
            await StepAsync("POST /accounts/{accountId}/accountUsers", async () =>
                {
                    var reply = await Host.PostAsync($"/accounts/{accountC}/accountUsers", Json(new { OrverrideExistingMembership = true, ExternalUserId = external }), token);
                    Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.Created), reply.ToString());
                }, () => LinksAsync(userId), () => (userId, accountC)),
        };

        foreach (var (expected, record) in steps)
            AssertMatches(expected, record);
        Assert.That(steps[0].Item2.GetProperty("After").GetProperty("UserId").GetInt32(), Is.EqualTo(userId), "a creation's After is the new user");
        Assert.That(steps[13].Item1.After, Is.Null, "a removed tag leaves nothing after");
        Assert.That(steps[^1].Item1.Before!.ToJsonString(), Is.EqualTo($"{{\"AccountIds\":[{accountB}]}}"));
        Assert.That(steps[^1].Item1.After!.ToJsonString(), Is.EqualTo($"{{\"AccountIds\":[{accountC}]}}"));
        var log = (await Admin.AuditAsync(new { TargetUserId = userId, Limit = 1000 })).GetRawText();
        Assert.That(log, Does.Not.Contain(key!.Secret).And.Not.Contain("APISecret").And.Not.Contain("password-123"));
    }

    private async Task OkUserAsync(string function, object payload)
    {
        var reply = await Admin.CallAsync(function, Json(payload));
        Assert.That(reply.ErrorCode(), Is.Zero, $"{function}: {reply.O}");
    }

    [Test]
    public async Task AuditRecords_LoginAndLogOut_TargetTheUserWithoutStates()
    {
        var userName = Unique("login");
        var userId = await Admin.CreateUserAsync(userName);
        var newest = await NewestIdAsync();
        using (var client = await Host.ConnectAsync())
        {
            await client.LoginAsync(userName, "password-123");
            Assert.That((await client.CallAsync("LogOut")).O, Is.EqualTo(Std.Ok));
        }

        var records = (await Admin.AuditAsync(new { FromId = newest, TargetUserId = userId })).EnumerateArray().ToList();

        Assert.That(records.Select(r => r.GetProperty("Function").GetString()), Is.EqualTo(LoginThenLogOut));
        foreach (var record in records)
        {
            Assert.That(record.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), record.GetRawText());
            Assert.That(record.GetProperty("TargetAccountId").ValueKind, Is.EqualTo(JsonValueKind.Null), record.GetRawText());
            Assert.That(record.GetProperty("Before").ValueKind, Is.EqualTo(JsonValueKind.Null), record.GetRawText());
            Assert.That(record.GetProperty("After").ValueKind, Is.EqualTo(JsonValueKind.Null), record.GetRawText());
        }
    }

    [Test]
    public async Task GetAuditLog_Record_HasTheFieldsOfCallsMdInOrder()
    {
        await Admin.AddAccountAsync();

        var record = (await Admin.AuditAsync(new { Limit = 1 }))[0];

        Assert.That(record.EnumerateObject().Select(p => p.Name), Is.EqualTo(RecordFields));
    }
}
