using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md section 7, requests per socket: over the rate a request answers 101 unrun; far over for long, 1008.</summary>
[TestFixture]
public sealed class RateLimitTests : HostFixture
{
    private const string Refusal = "{\"result\":false,\"errormsg\":\"Operation Failed\",\"errorcode\":101,\"detail\":\"Rate limit exceeded\"}";

    protected override string[] Settings =>
    [
        "--Gateway:Limits:RequestsPerSecond=50",
        "--Gateway:Limits:RequestBurst=50",
        "--Gateway:Limits:RateLimitCloseAfterSeconds=2",
    ];

    [Test]
    [CancelAfter(30_000)]
    public async Task Socket_BurstOverRate_ExtraRequestsAnswer101OnceAndAreNotRun(CancellationToken ct)
    {
        using var bystander = await Host.ConnectAsync();
        using var client = await Host.ConnectAsync();
        var key = Guid.NewGuid().ToString("N");

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.CallAsync("TestCount", $"{{\"Gate\":\"{key}\"}}")));

        var refused = replies.Where(r => r.ErrorCode() == 101).ToList();
        Assert.That(refused, Has.Count.GreaterThanOrEqualTo(100), "a burst of 200 against 50/s was hardly refused");
        Assert.That(refused.All(r => r.M == 1 && r.N == "TestCount" && r.O == Refusal), Is.True, refused[0].Raw);
        Assert.That(CountHandler.RunsOf(key), Is.EqualTo(replies.Length - refused.Count), "a refused request ran, or a run one was not answered");
        Assert.That(client.ReceivedCount, Is.EqualTo(200), "a request got more than one reply");
        Assert.That((await bystander.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
        Assert.That(client.Closed.IsCompleted, Is.False, "one burst closed the socket");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Socket_ManyUnknownFunctions_Answer106AndLeaveTheBucketToRealCalls(CancellationToken ct)
    {
        using var client = await Host.ConnectAsync();

        var unknown = await Task.WhenAll(Enumerable.Range(0, 300).Select(k => client.CallAsync("NoSuchCall" + k)));
        var pings = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.CallAsync("Ping")));

        Assert.That(unknown.Select(r => r.ErrorCode()), Is.All.EqualTo(106), "an unknown function was answered with something else than 106");
        Assert.That(unknown.Select(r => r.M), Is.All.EqualTo(5));
        Assert.That(pings.Select(r => r.O), Is.All.EqualTo("{\"msg\":\"PONG\"}"), "unknown functions used up the tokens of real calls");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Socket_FarOverRateForCloseAfterSeconds_ClosedWith1008(CancellationToken ct)
    {
        using var bystander = await Host.ConnectAsync();
        using var client = await Host.ConnectAsync();
        var started = DateTime.UtcNow;
        var sequence = 0L;

        // 40 every 20 ms is about 2,000 a second against a rate of 50: far over, until the gateway closes the socket.
        while (!client.Closed.IsCompleted && DateTime.UtcNow - started < TimeSpan.FromSeconds(10))
        {
            for (var n = 0; n < 40; n++)
                client.Send(TestClient.Frame(0, sequence += 2, "Ping", "{}"));
            await Task.Delay(20, ct);
        }

        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var after = DateTime.UtcNow - started;
        TestContext.Out.WriteLine($"closed after {after.TotalSeconds:0.0} s and {sequence / 2} requests: {closed.CloseStatusDescription}");
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(closed.CloseStatusDescription, Does.Contain("rate limit"));
        Assert.That(after, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)), "closed before the configured 2 s far over");
        Assert.That((await bystander.CallAsync("Ping", timeout: TimeSpan.FromSeconds(2))).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }
}
