using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// The same scenario over the WebSocket and over <c>/AP/{Name}</c>, each on its own fresh host so ids match:
/// the payloads are identical byte for byte (only the session token differs), and so are the audit trails.
/// </summary>
[TestFixture]
public sealed class HttpParityTests
{
    private static readonly string[] AuditedWrites = ["CreateUser", "AddAccount", "AddUserAccount", "AddUserPermission", "AddUserAffiliateTag"];

    private delegate Task<string> Call(string function, string payload);

    [Test]
    [CancelAfter(120_000)]
    public async Task Scenario_OverSocketAndOverHttp_AnswersIdenticalPayloadsAndAudit()
    {
        await using var socketHost = await TestHost.StartAsync();
        await using var httpHost = await TestHost.StartAsync();

        List<string> overSocket;
        using (var client = await socketHost.ConnectAsync())
            overSocket = await RunScenarioAsync(async (function, payload) => (await client.CallAsync(function, payload)).O);

        string? token = null;
        var overHttp = await RunScenarioAsync(async (function, payload) =>
        {
            var reply = await httpHost.PostAsync($"/AP/{function}", payload, token);
            Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), $"{function}: {reply}");
            Assert.That(reply.MediaType, Is.EqualTo("application/json"), function);
            if (function == "AuthenticateUser")
                token = reply.Json.GetProperty("SessionToken").GetString();
            return reply.Body;
        });

        Assert.That(overHttp, Is.EqualTo(overSocket));
        Assert.That(overSocket[^1], Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
        Assert.That(await AuditTrailAsync(httpHost), Is.EqualTo(await AuditTrailAsync(socketHost)));
    }

    // Each step's payload is built from the previous replies, so a diverging id shows up as a diverging payload.
    private static async Task<List<string>> RunScenarioAsync(Call call)
    {
        var replies = new List<string>();
        async Task<JsonElement> Step(string function, object payload)
        {
            var body = await call(function, JsonSerializer.Serialize(payload));
            replies.Add(function == "AuthenticateUser" ? WithoutToken(body) : body);
            return JsonDocument.Parse(body).RootElement;
        }

        var login = await Step("AuthenticateUser", new { UserName = "admin", Password = TestHost.AdminPassword });
        Assert.That(login.GetProperty("Authenticated").GetBoolean(), Is.True, login.ToString());
        var created = await Step("CreateUser", new { UserInfo = new { UserName = "parity-user", Email = "parity@example.com", Password = "password-123" }, AffiliateTag = "", OMSId = 1 });
        var userId = created.GetProperty("UserId").GetInt32();
        var account = await Step("AddAccount", new { OMSId = 1, AccountName = "Parity", AccountHandle = "parity", AccountType = 0, RiskType = 1, ViewLineItemPermissionFlag = true });
        var accountId = account.GetProperty("Id").GetInt32();
        await Step("AddUserAccount", new { accountId, accountHandle = "", userId, userName = "" });
        await Step("GetUserAccounts", new { OMSId = 1, UserId = userId });
        await Step("AddUserPermission", new { UserId = userId, Permission = "AccountReadOnly", Value = 1 });
        await Step("AddUserAffiliateTag", new { omsId = 1, userId, affiliateId = 0, affiliateTag = "parity_tag" });
        await Step("LogOut", new { });

        Assert.That(replies[4], Is.EqualTo($"[{accountId}]"));
        foreach (var reply in replies.Skip(1).Where(r => r.StartsWith("{\"result\"", StringComparison.Ordinal)))
            Assert.That(JsonDocument.Parse(reply).RootElement.GetProperty("result").GetBoolean(), Is.True, reply);
        return replies;
    }

    private static string WithoutToken(string body)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        Assert.That(node["SessionToken"]?.GetValue<string>(), Is.Not.Null.And.Not.Empty, body);
        node["SessionToken"] = "<token>";
        return node.ToJsonString();
    }

    // The audit trail with the values that must differ between two hosts (time, session id) blanked.
    private static async Task<string> AuditTrailAsync(TestHost host)
    {
        using var admin = await host.ConnectAdminAsync();
        var log = JsonNode.Parse((await admin.CallAsync("GetAuditLog", "{\"Limit\":1000}")).O)!.AsArray();
        Assert.That(log.Select(r => r!["Function"]!.GetValue<string>()),
            Is.SupersetOf(AuditedWrites));
        foreach (var record in log)
        {
            record!["Time"] = "<time>";
            // The hash covers the time and the session, and a user's state its creation time: those differ by host.
            record["Hash"] = "<hash>";
            foreach (var state in new[] { record["Before"], record["After"] }.OfType<JsonObject>().Where(s => s.ContainsKey("DateTimeCreated")))
                state["DateTimeCreated"] = "<time>";
            if (record["SessionId"]?.GetValue<string>() is { } session)
            {
                record["SessionId"] = "<session>";
                record["Change"] = record["Change"]!.GetValue<string>().Replace(session, "<session>", StringComparison.Ordinal);
            }
        }
        return log.ToJsonString();
    }
}
