using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Events;

/// <summary>Who may follow whom, and what sends nothing: refusals, dry runs, repeats, sockets that did not subscribe, HTTP.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class EventScopeTests : AdminFixture
{
    protected override string[] Settings => ["--Gateway:Limits:RequestsPerSecond=100000", "--Gateway:Limits:RequestBurst=100000"];

    private static async Task AssertNoEventAsync(TestClient client)
    {
        // Events go out before the reply of any later call: once the Ping is answered, an event would have arrived.
        await client.CallAsync("Ping");
        Assert.That(client.TryTakeUnmatched(out var text), Is.False, $"unexpected: {text}");
    }

    [Test]
    public async Task Subscribe_NonOperatorToAnotherUserOrAll_Refused20()
    {
        var (client, _) = await Host.ConnectNewUserAsync(Admin);
        using var _ = client;
        var other = await Admin.CreateUserAsync("other-" + Guid.NewGuid().ToString("N")[..8]);

        var toOther = await client.CallAsync("SubscribeUserEvents", $"{{\"UserId\":{other}}}", m: 2);
        var toAll = await client.CallAsync("SubscribeUserEvents", "{\"UserId\":0}", m: 2);

        Assert.That((toOther.M, toOther.ErrorCode()), Is.EqualTo((1, 20)), toOther.O);
        Assert.That(toAll.ErrorCode(), Is.EqualTo(20), toAll.O);
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{other},\"Permission\":\"AccountReadOnly\"}}");
        await AssertNoEventAsync(client);
    }

    [Test]
    public async Task Subscribe_OperatorToEveryUser_GetsEachUsersEvents()
    {
        using var dashboard = await Host.ConnectAdminAsync();
        await dashboard.SubscribeAsync("{\"UserId\":0}");
        var first = await Admin.CreateUserAsync("a-" + Guid.NewGuid().ToString("N")[..8]);
        var second = await Admin.CreateUserAsync("b-" + Guid.NewGuid().ToString("N")[..8]);

        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{first},\"Permission\":\"AccountReadOnly\"}}");
        await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{second},\"Permission\":\"Deposit\"}}");

        var a = await dashboard.NextEventAsync();
        var b = await dashboard.NextEventAsync();
        Assert.That(a.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(first));
        Assert.That(b.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(second));
        Assert.That(b.PrevSequence(), Is.EqualTo(a.Sequence()));
    }

    [Test]
    public async Task OperatorRevoked_WhileFollowingEveryUser_StreamEndsNotAuthorizedOwnStreamGoesOn()
    {
        var userName = "op-" + Guid.NewGuid().ToString("N")[..8];
        var (op, opId) = await Host.ConnectNewUserAsync(Admin, userName);
        using var _ = op;
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{opId},\"Permission\":\"Operator\"}}");
        await op.SubscribeAsync();
        await op.SubscribeAsync("{\"UserId\":0}");
        var other = await Admin.CreateUserAsync("x-" + Guid.NewGuid().ToString("N")[..8]);

        await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{opId},\"Permission\":\"Operator\"}}");
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{other},\"Permission\":\"AccountReadOnly\"}}");

        var ended = await op.NextEventAsync();
        var own = await op.NextEventAsync();
        Assert.That(ended.N, Is.EqualTo("SubscriptionEndedEvent"), ended.Raw);
        Assert.That(ended.O, Is.EqualTo("{\"UserId\":0,\"LastSequence\":0,\"Reason\":\"not authorized\"}"));
        Assert.That((own.N, own.Payload.GetProperty("UserId").GetInt32()), Is.EqualTo(("UserPermissionsEvent", opId)));
        await AssertNoEventAsync(op);
    }

    [Test]
    public async Task Subscribe_UnknownUser_Refused104AndBadInputRefused100SocketOpen()
    {
        var unknown = await Admin.CallAsync("SubscribeUserEvents", "{\"UserId\":999999}");
        var bad = await Admin.CallAsync("SubscribeUserEvents", "{\"FromSequence\":\"abc\"}");
        var negative = await Admin.CallAsync("SubscribeUserEvents", "{\"FromSequence\":-1}");

        Assert.That(unknown.ErrorCode(), Is.EqualTo(104), unknown.O);
        Assert.That(bad.ErrorCode(), Is.EqualTo(100), bad.O);
        Assert.That(negative.ErrorCode(), Is.EqualTo(100), negative.O);
        Assert.That((await Admin.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [Test]
    public async Task Unsubscribe_WithM4_StopsEventsAndASecondTimeIs104()
    {
        var (client, userId) = await Host.ConnectNewUserAsync(Admin);
        using var _ = client;
        await client.SubscribeAsync();

        var first = await client.CallAsync("UnsubscribeUserEvents", "{}", m: 4);
        var again = await client.CallAsync("UnsubscribeUserEvents", "{}", m: 4);

        Assert.That(first.O, Is.EqualTo(Std.Ok));
        Assert.That(again.ErrorCode(), Is.EqualTo(104), again.O);
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");
        await AssertNoEventAsync(client);
    }

    [Test]
    public async Task Changes_DryRunRefusedRepeatedOrUnsubscribedSocket_SendNoEvent()
    {
        var userName = "quiet-" + Guid.NewGuid().ToString("N")[..8];
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, userName);
        using var _ = client;
        using var unsubscribed = await Host.ConnectAsync();
        await unsubscribed.LoginAsync(userName, "password-123");
        await client.SubscribeAsync();
        var grant = JsonSerializer.Serialize(new { UserId = userId, Permission = "AccountReadOnly", ClientRequestId = "ev-" + Guid.NewGuid().ToString("N") });

        var dryRun = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\",\"DryRun\":true}}");
        var refused = await client.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Operator\"}}");
        await AssertNoEventAsync(client);
        await Admin.CallAsync("AddUserPermission", grant);
        var once = await client.NextEventAsync();
        var repeat = await Admin.CallAsync("AddUserPermission", grant);

        Assert.That(dryRun.ErrorCode(), Is.Zero, dryRun.O);
        Assert.That(refused.ErrorCode(), Is.EqualTo(20), refused.O);
        Assert.That(repeat.ErrorCode(), Is.Zero, repeat.O);
        Assert.That(once.N, Is.EqualTo("UserPermissionsEvent"));
        await AssertNoEventAsync(client);
        await AssertNoEventAsync(unsubscribed);
    }

    [Test]
    public async Task Subscribe_OverHttp_Answers200With106()
    {
        var token = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

        var reply = await Host.PostAsync("/AP/SubscribeUserEvents", "{}", token);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reply.Body, Is.EqualTo("{\"result\":false,\"errormsg\":\"Operation Not Supported\",\"errorcode\":106,\"detail\":\"SubscribeUserEvents is not available over HTTP\"}"));
    }

    [Test]
    public async Task Subscribe_FromSequenceOver10000Behind_Refused101WithTheSpecText()
    {
        var userId = await Admin.CreateUserAsync("far-" + Guid.NewGuid().ToString("N")[..8]);
        var from = (await Admin.CallAsync("SubscribeUserEvents", $"{{\"UserId\":{userId}}}")).Payload.GetProperty("Sequence").GetInt64();
        await Admin.CallAsync("UnsubscribeUserEvents", $"{{\"UserId\":{userId}}}");
        // 10,001 changes in atomic batches of 100 toggles: one commit each.
        var item = $"{{\"n\":\"AddUserPermission\",\"o\":{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}}},{{\"n\":\"RevokeUserPermission\",\"o\":{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}}}";
        var batch = $"{{\"Atomic\":true,\"Calls\":[{string.Join(',', Enumerable.Repeat(item, 50))}]}}";
        for (var n = 0; n < 100; n++)
            Assert.That((await Admin.CallAsync("Batch", batch)).O, Does.Contain("\"result\":true"));
        await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");

        using var op = await Host.ConnectAdminAsync();
        var tooFar = await op.CallAsync("SubscribeUserEvents", $"{{\"UserId\":{userId},\"FromSequence\":{from}}}");
        var justEnough = await op.CallAsync("SubscribeUserEvents", $"{{\"UserId\":{userId},\"FromSequence\":{from + 1}}}");

        Assert.That(tooFar.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Operation Failed\",\"errorcode\":101,\"detail\":\"FromSequence is too far behind; read the current state and subscribe without it\"}"));
        Assert.That(justEnough.ErrorCode(), Is.Zero, justEnough.O);
        Assert.That((await op.NextEventAsync()).PrevSequence(), Is.EqualTo(from + 1));
    }
}
