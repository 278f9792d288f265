using Gateway.Core.Events;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Events;

/// <summary>A subscriber that stops reading loses its streams, learns it once it reads again, and keeps its calls; the gateway's memory stays bounded.</summary>
[TestFixture]
public sealed class SlowSubscriberTests
{
    private const int Changes = 20_000;
    private static readonly string[] EndedKeys = ["UserId", "LastSequence", "Reason"];
    // The changes themselves grow the test process by about 31 MiB (the log lines the tests capture, 20,000 audit
    // rows' replies); the 20,000 event frames of about 1 KiB each, were they kept for the slow socket, would add 20 MiB more.
    private const long MaxGrowthBytes = 48L * 1024 * 1024;

    [Test]
    [CancelAfter(180_000)]
    public async Task AllUsersStream_NotReadWhile20000Changes_EndedOnceThenCallsWork(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync(
            "--Gateway:Limits:RequestsPerSecond=1000000", "--Gateway:Limits:RequestBurst=1000000",
            "--Gateway:Limits:MaxQueuedRepliesPerSocket=32", "--Gateway:Limits:KeepAliveIntervalSeconds=3600");
        using var admin = await host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("slow-" + Guid.NewGuid().ToString("N")[..8]);
        await GrantManyAsync(admin, userId);
        var hub = host.App.Services.GetRequiredService<EventHub>();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var slow = await RawSocket.ConnectAsync(host.WsUri, receiveBuffer: 4096);
        await slow.SendAsync(TestClient.Frame(0, 2, "AuthenticateUser", $"{{\"UserName\":\"admin\",\"Password\":\"{TestHost.AdminPassword}\"}}"), ct);
        Assert.That(await slow.ReceiveAsync(), Does.Contain("Authenticated\\\":true"));
        await slow.SendAsync(TestClient.Frame(2, 4, "SubscribeUserEvents", "{\"UserId\":0}"), ct);
        Assert.That(await slow.ReceiveAsync(), Does.Contain("\\\"result\\\":true"));
        Assert.That(hub.Count, Is.EqualTo(1));

        // The slow socket reads nothing from here on, while the changes run.
        await ToggleInBatchesAsync(admin, userId, Changes);
        await Poll.UntilAsync(() => hub.Count == 0, TimeSpan.FromSeconds(30), "the slow socket's stream was not dropped", ct);
        var growth = GC.GetTotalMemory(forceFullCollection: true) - baseline;

        var (events, ended) = await ReadUntilEndedAsync(slow);
        TestContext.Out.WriteLine($"{events.Count} events before the end; live memory growth {growth / 1048576.0:0.0} MiB");
        Assert.That(events.Count, Is.LessThan(Changes), "the stream was never cut");
        Assert.That(ended.N, Is.EqualTo("SubscriptionEndedEvent"));
        Assert.That(ended.Keys(), Is.EqualTo(EndedKeys));
        Assert.That(ended.Payload.GetProperty("UserId").GetInt32(), Is.Zero);
        Assert.That(ended.Payload.GetProperty("LastSequence").GetInt64(), Is.EqualTo(events.Count == 0 ? 0 : events[^1].Sequence()));
        Assert.That(ended.Payload.GetProperty("Reason").GetString(), Is.EqualTo("too slow"));
        for (var n = 1; n < events.Count; n++)
            Assert.That(events[n].PrevSequence(), Is.EqualTo(events[n - 1].Sequence()));
        Assert.That(growth, Is.LessThan(MaxGrowthBytes), "the gateway kept the events it could not send");

        await slow.SendAsync(TestClient.Frame(0, 6, "Ping", "{}"), ct);
        var next = ReplyFrame.TryParse(await slow.ReceiveAsync());
        Assert.That((next?.N, next?.O), Is.EqualTo(("Ping", "{\"msg\":\"PONG\"}")), "a second SubscriptionEndedEvent, or the Ping unanswered");
    }

    // Every permission but Operator, so each event carries a long list and the events outgrow what TCP buffers.
    private static async Task GrantManyAsync(TestClient admin, int userId)
    {
        var names = (await admin.CallAsync("GetAvailablePermissionList")).Payload.EnumerateArray()
            .Select(p => p.GetString()!).Where(p => p != "Operator").ToList();
        var calls = names.Select(p => $"{{\"n\":\"AddUserPermission\",\"o\":{{\"UserId\":{userId},\"Permission\":\"{p}\"}}}}").Take(100);
        Assert.That((await admin.CallAsync("Batch", $"{{\"Atomic\":true,\"Calls\":[{string.Join(',', calls)}]}}")).O, Does.Contain("\"result\":true"));
    }

    private static async Task ToggleInBatchesAsync(TestClient admin, int userId, int changes)
    {
        var pair = $"{{\"n\":\"RevokeUserPermission\",\"o\":{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}}},{{\"n\":\"AddUserPermission\",\"o\":{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}}}";
        var batch = $"{{\"Atomic\":true,\"Calls\":[{string.Join(',', Enumerable.Repeat(pair, 50))}]}}";
        for (var n = 0; n < changes / 100; n++)
            Assert.That((await admin.CallAsync("Batch", batch)).O, Does.Contain("\"result\":true"));
    }

    private static async Task<(List<ReplyFrame> Events, ReplyFrame Ended)> ReadUntilEndedAsync(RawSocket socket)
    {
        var events = new List<ReplyFrame>();
        while (true)
        {
            var frame = ReplyFrame.TryParse(await socket.ReceiveAsync()) ?? throw new AssertionException("not a frame");
            Assert.That((frame.M, frame.I), Is.EqualTo((3, 0L)), frame.Raw);
            if (frame.N == "SubscriptionEndedEvent")
                return (events, frame);
            events.Add(frame);
        }
    }
}
