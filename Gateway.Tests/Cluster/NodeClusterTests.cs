using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// The three-node harness itself: three gateway processes share one PostgreSQL database and master key, a session made
/// on one node works on the others, and a node killed with SIGKILL starts again on its folder. Nothing here needs one
/// node to tell another about a change: each reads the shared database.
/// </summary>
[TestFixture]
public sealed class NodeClusterTests : ClusterFixture
{
    [Test]
    [CancelAfter(120_000)]
    public async Task ThreeNodes_OneDatabase_ShareSessionsAndWritesAndAKilledNodeComesBack(CancellationToken ct)
    {
        await using var cluster = await NodeCluster.StartAsync();
        var ports = Enumerable.Range(0, NodeCluster.Size).Select(i => cluster.WsUri(i).Port).ToList();
        Assert.That(ports.Distinct().Count(), Is.EqualTo(NodeCluster.Size), "each node listens on its own port");

        using var first = await TestClient.ConnectAsync(cluster.WsUri(0));
        var token = await first.LoginAsync("admin", TestHost.AdminPassword);
        var userId = await first.CreateUserAsync("harness-" + Guid.NewGuid().ToString("N")[..8]);

        // The token made on node 0 opens the same session on node 2, which reads the user node 0 created.
        using var third = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(2), token);
        var info = await third.CallAsync("GetUserInfo", JsonSerializer.Serialize(new { UserId = userId }));
        Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), info.O);

        using var second = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(1), token);
        await cluster.KillAsync(1);
        Assert.That(cluster.IsAlive(1), Is.False);
        var lost = await second.Closed.WaitAsync(TimeSpan.FromSeconds(15), ct);
        Assert.That(lost.CloseStatus, Is.Null, "a killed process sends no close frame: the connection is just lost");

        await cluster.RestartAsync(1);
        using var again = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(1), token);
        var after = await again.CallAsync("GetUserInfo", JsonSerializer.Serialize(new { UserId = userId }));
        Assert.That(after.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), after.O);
        Assert.That(cluster.Kills, Is.EqualTo(1));
    }
}
