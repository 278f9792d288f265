using System.Diagnostics;
using System.Net.WebSockets;
using Gateway.Core.Health;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>Backpressure: a client that sends and never reads is closed; memory stays bounded; others are served.</summary>
[TestFixture]
public sealed class BackpressureTests
{
    private const int Calls = 10_000;
    private const long MaxGrowthBytes = 50L * 1024 * 1024;
    private static readonly TimeSpan PingDeadline = TimeSpan.FromSeconds(2);

    [Test]
    [CancelAfter(60_000)]
    public async Task Socket_10000CallsNeverRead_Closed1008WithBoundedMemoryWhileOthersAnswer(CancellationToken ct)
    {
        // The rate limit is lifted so that it is the reply queue, not the rate, that stops this client.
        await using var host = await TestHost.StartAsync(
            "--Gateway:Limits:RequestsPerSecond=1000000", "--Gateway:Limits:RequestBurst=1000000",
            "--Gateway:Limits:SendStallTimeoutSeconds=1", "--Gateway:Limits:CloseTimeoutSeconds=1");
        using var bystander = await host.ConnectAsync();
        Assert.That((await bystander.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
        var status = host.App.Services.GetRequiredService<GatewayStatus>();
        var logged = LogCapture.Lines.Count;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        using var attacker = await RawSocket.ConnectAsync(host.WsUri, receiveBuffer: 4096);
        await attacker.SendAsync(TestClient.Frame(0, 1, "AuthenticateUser",
            $"{{\"UserName\":\"admin\",\"Password\":\"{TestHost.AdminPassword}\"}}"), ct);
        Assert.That(ReplyFrame.TryParse(await attacker.ReceiveAsync())?.O, Does.Contain("\"Authenticated\":true"));
        using var attackDone = new CancellationTokenSource();
        var peak = baseline;
        var sampler = SampleMemoryAsync(value => peak = Math.Max(peak, value), attackDone.Token);
        var pings = PingMeanwhileAsync(bystander, attackDone.Token);

        var sent = await SendWithoutReadingAsync(attacker, ct);
        await Poll.UntilAsync(() => status.OpenSockets == 1, TimeSpan.FromSeconds(20), "the non-reading socket was not closed", ct);
        await attackDone.CancelAsync();
        await sampler;
        var latencies = await pings;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var closing = LogCapture.Lines.Skip(logged).Where(l => l.Contains("closing with 1008", StringComparison.Ordinal)).ToList();
        TestContext.Out.WriteLine($"sent {sent} of {Calls} calls; peak live growth {(peak - baseline) / 1048576.0:0.0} MiB, " +
            $"after {(after - baseline) / 1048576.0:0.0} MiB; {latencies.Count} bystander pings, slowest {latencies.Max().TotalMilliseconds:0} ms");
        Assert.That(closing, Has.Count.EqualTo(1));
        Assert.That(closing[0], Does.Contain("not reading"));
        Assert.That(peak - baseline, Is.LessThan(MaxGrowthBytes), "memory grew by 50 MiB or more during the attack");
        Assert.That(latencies, Is.Not.Empty);
        Assert.That(latencies.Max(), Is.LessThan(PingDeadline));
        Assert.That((await bystander.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    // A reply of about 1 KiB each (the permission list), so the replies outgrow what TCP buffers on loopback and the
    // gateway's own reply queue is what fills. Sends until all are sent or the gateway stops taking them (it closed the connection); returns how many went.
    private static async Task<int> SendWithoutReadingAsync(RawSocket attacker, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        var sent = 0;
        try
        {
            for (; sent < Calls; sent++)
                await attacker.SendAsync(TestClient.Frame(0, 2L * (sent + 1), "GetAvailablePermissionList", "{}"), deadline.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The gateway dropped the connection, or stopped reading for good: the attack is over either way.
        }
        return sent;
    }

    // Live memory (after a full collection) every 100 ms: what the gateway holds, not garbage a collection would free.
    private static async Task SampleMemoryAsync(Action<long> sample, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            sample(GC.GetTotalMemory(forceFullCollection: true));
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static async Task<List<TimeSpan>> PingMeanwhileAsync(TestClient bystander, CancellationToken stop)
    {
        var latencies = new List<TimeSpan>();
        while (!stop.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            var reply = await bystander.CallAsync("Ping", timeout: PingDeadline);
            latencies.Add(watch.Elapsed);
            Assert.That(reply.O, Is.EqualTo("{\"msg\":\"PONG\"}"));
            await Task.Delay(50, CancellationToken.None);
        }
        return latencies;
    }
}
