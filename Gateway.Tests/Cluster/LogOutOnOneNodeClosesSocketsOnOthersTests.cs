using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A session is one across the nodes: LogOut on node C closes the same session's sockets on nodes A and B with 1008
/// within a second, while another session of the same user on A stays open, and the token is refused everywhere
/// afterwards. Needs nodes A and B to learn of the LogOut made on C (cross-node notification).
/// </summary>
[TestFixture]
public sealed class LogOutOnOneNodeClosesSocketsOnOthersTests : ClusterFixture
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);


    [Test]
    [CancelAfter(120_000)]
    public async Task LogOutOnNodeC_ClosesTheSessionsSocketsOnNodesAAndBWith1008WithinOneSecond(CancellationToken ct)
    {
        await using var cluster = await NodeCluster.StartAsync();
        using var onC = await TestClient.ConnectAsync(cluster.WsUri(2));
        var token = await onC.LoginAsync("admin", TestHost.AdminPassword);
        using var onA = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(0), token);
        using var onB = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(1), token);
        using var otherSession = await TestClient.ConnectAsync(cluster.WsUri(0));
        await otherSession.LoginAsync("admin", TestHost.AdminPassword);

        var logOut = await onC.CallAsync("LogOut", "{}");
        var clock = Stopwatch.StartNew();
        Assert.That(logOut.ErrorCode(), Is.Zero, $"LogOut failed on node C: {logOut.O}");

        var closedA = Timed(onA.Closed, clock);
        var closedB = Timed(onB.Closed, clock);
        var both = Task.WhenAll(closedA, closedB);
        await Task.WhenAny(both, Task.Delay(Within, ct));
        Assert.Multiple(() =>
        {
            Assert.That(closedA.IsCompleted, Is.True, "the session's socket on node A was still open 1 s after the LogOut on node C");
            Assert.That(closedB.IsCompleted, Is.True, "the session's socket on node B was still open 1 s after the LogOut on node C");
        });
        var (a, aAfter) = await closedA;
        var (b, bAfter) = await closedB;
        TestContext.Out.WriteLine($"closed after LogOut's reply: node A {aAfter.TotalMilliseconds:0} ms ({a.CloseStatus}), node B {bAfter.TotalMilliseconds:0} ms ({b.CloseStatus})");
        Assert.Multiple(() =>
        {
            Assert.That(a.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation), $"node A: {a.CloseStatusDescription}");
            Assert.That(b.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation), $"node B: {b.CloseStatusDescription}");
        });

        // The user's other session is not the one that ended.
        var still = await otherSession.CallAsync("GetUserPermissions", "{}");
        Assert.That(still.ErrorCode(), Is.Zero, $"another session of the user was ended too: {still.O}");
        foreach (var node in new[] { 0, 1 })
        {
            using var again = await TestClient.ConnectAsync(cluster.WsUri(node));
            var resume = await again.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
            Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, $"node {node} still accepts the logged-out token: {resume.O}");
        }
    }

    // When the close arrived, measured from the LogOut's reply.
    private static async Task<(Gateway.Client.GatewayDisconnection Info, TimeSpan After)> Timed(Task<Gateway.Client.GatewayDisconnection> closed, Stopwatch clock)
    {
        var info = await closed;
        return (info, clock.Elapsed);
    }
}
