using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Dapper;
using Gateway.Client;
using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Npgsql;

namespace Gateway.Tests.Cluster;

/// <summary>
/// A Jepsen-style run: 8 writer sockets on each of three nodes add accounts with unique names while a node is killed
/// with SIGKILL every 5 s for 30 s (and started again, so two or three nodes are up). Writers whose node died
/// reconnect to a living one, resume their session by token and go on. Every write whose success reply arrived must be
/// in the database afterwards, and the audit chain the nodes appended to together must verify.
/// </summary>
[TestFixture]
public sealed class KilledNodesLoseNoAcknowledgedWriteTests : ClusterFixture
{
    private const int WritersPerNode = 8;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillEvery = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);


    [Test]
    [CancelAfter(180_000)]
    public async Task NodeKilledEveryFiveSeconds_EveryAcknowledgedWriteIsStoredAndTheAuditChainVerifies(CancellationToken ct)
    {
        await using var cluster = await NodeCluster.StartAsync();
        string token;
        using (var login = await TestClient.ConnectAsync(cluster.WsUri(0)))
            token = await login.LoginAsync("admin", TestHost.AdminPassword);

        var run = new Run(cluster, token);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writers = Enumerable.Range(0, NodeCluster.Size * WritersPerNode).Select(w => run.WriteAsync(w, stop.Token)).ToList();
        var clock = Stopwatch.StartNew();

        // A kill every 5 s, each node in turn, and each killed node started again at once. Under load a start can take
        // longer than 5 s, so the next victim is a node that is up, and when only one is up the kill waits for a start
        // to finish: the writers always have a node to go to.
        var restarts = new List<Task>();
        var fewestAlive = NodeCluster.Size;
        for (var kill = 1; kill <= (int)(RunTime / KillEvery); kill++)
        {
            var due = KillEvery * kill - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, ct);
            while (cluster.Living().Count < 2)
                await Task.WhenAny(restarts.Where(r => !r.IsCompleted)).WaitAsync(TimeSpan.FromSeconds(60), ct);
            var living = cluster.Living().Select(n => n.Node).ToList();
            var node = Enumerable.Range(kill - 1, NodeCluster.Size).Select(i => i % NodeCluster.Size).First(living.Contains);
            await cluster.KillAsync(node);
            fewestAlive = Math.Min(fewestAlive, living.Count - 1);
            restarts.Add(cluster.RestartAsync(node));
        }
        var lastKill = clock.Elapsed;
        // The writers go on for the 5 s after the last kill too, so its reconnects are part of the run.
        var remaining = lastKill + KillEvery - clock.Elapsed;
        if (remaining > TimeSpan.Zero)
            await Task.Delay(remaining, ct);
        await stop.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(CallDeadline * 3, ct);
        await Task.WhenAll(restarts).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var acknowledged = run.Acknowledged.ToHashSet();
        HashSet<string> stored;
        await using (var connection = new NpgsqlConnection(cluster.ConnectionString))
            stored = (await connection.QueryAsync<string>("SELECT AccountName FROM accounts WHERE AccountName LIKE 'jepsen-%'")).ToHashSet();
        var missing = acknowledged.Except(stored).Order(StringComparer.Ordinal).ToList();
        var verification = await AuditChain.VerifyAsync(Database.Postgres(cluster.ConnectionString, Path.Combine(Path.GetTempPath(), "gateway.db")), ct);

        TestContext.Out.WriteLine(
            $"kills {cluster.Kills} (the last {lastKill.TotalSeconds:0.0} s into the run), fewest nodes up {fewestAlive}, writes sent {run.Sent}, acknowledged {acknowledged.Count}, found {acknowledged.Count - missing.Count}, " +
            $"stored without acknowledgement {stored.Count - (acknowledged.Count - missing.Count)}, refused {run.Refused}, " +
            $"outcome unknown (connection lost or no reply) {run.Unknown}, reconnects {run.Reconnects}, audit rows verified {verification.Rows}, " +
            $"node starts {string.Join(" ", cluster.StartTimes.Select(t => $"{t.TotalSeconds:0.0}s"))}");
        Assert.That(cluster.Kills, Is.EqualTo((int)(RunTime / KillEvery)));
        Assert.That(acknowledged, Is.Not.Empty, "no write was acknowledged");
        Assert.That(run.Refused, Is.Zero, $"writes were refused: {run.FirstRefusal}");
        Assert.That(missing, Is.Empty, $"{missing.Count} acknowledged writes are not in the database, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.That(verification.Ok, Is.True, verification.Detail);
    }

    /// <summary>The writers' shared record: what was sent, acknowledged, refused, or lost with its node.</summary>
    private sealed class Run(NodeCluster cluster, string token)
    {
        private int _sent;
        private int _refused;
        private int _unknown;
        private int _reconnects;

        public ConcurrentQueue<string> Acknowledged { get; } = new();

        public int Sent => Volatile.Read(ref _sent);

        public int Refused => Volatile.Read(ref _refused);

        public int Unknown => Volatile.Read(ref _unknown);

        public int Reconnects => Volatile.Read(ref _reconnects);

        public string? FirstRefusal { get; private set; }

        /// <summary>
        /// One writer: its own node first, then any living node after its connection is lost. A write whose reply did
        /// not arrive may or may not have committed, so it is neither acknowledged nor a failure.
        /// </summary>
        public async Task WriteAsync(int writer, CancellationToken stop)
        {
            TestClient? client = null;
            var attempt = 0;
            var lost = false;
            try
            {
                for (var n = 0; !stop.IsCancellationRequested;)
                {
                    if (client is null)
                    {
                        client = await ConnectAsync(writer, attempt++);
                        if (lost && client is not null)
                            Interlocked.Increment(ref _reconnects);
                        continue;
                    }
                    var name = $"jepsen-{writer}-{n++}";
                    Interlocked.Increment(ref _sent);
                    try
                    {
                        var reply = await client.CallAsync("AddAccount", JsonSerializer.Serialize(new { OMSId = 1, AccountName = name }), timeout: CallDeadline);
                        if (reply.Payload.ValueKind == JsonValueKind.Object && reply.Payload.TryGetProperty("Success", out var ok) && ok.GetBoolean())
                        {
                            Acknowledged.Enqueue(name);
                        }
                        else
                        {
                            Interlocked.Increment(ref _refused);
                            FirstRefusal ??= reply.Raw;
                        }
                    }
                    catch (Exception e) when (IsLostConnection(e))
                    {
                        Interlocked.Increment(ref _unknown);
                        client.Dispose();
                        client = null;
                        lost = true;
                    }
                }
            }
            finally
            {
                client?.Dispose();
            }
        }

        // A socket on one of the nodes alive now, logged into the shared session; null when that node died meanwhile.
        private async Task<TestClient?> ConnectAsync(int writer, int attempt)
        {
            var living = cluster.Living();
            if (living.Count == 0)
                throw new InvalidOperationException("no node is alive");
            var home = living.Where(n => n.Node == writer % NodeCluster.Size).Select(n => n.Uri).ToList();
            var uri = attempt == 0 && home.Count > 0 ? home[0] : living[(writer + attempt) % living.Count].Uri;
            TestClient? client = null;
            try
            {
                client = await TestClient.ConnectAsync(uri);
                var reply = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }), timeout: CallDeadline);
                if (reply.Payload.TryGetProperty("Authenticated", out var ok) && ok.GetBoolean())
                    return client;
                throw new AssertionException($"resuming by token was refused: {reply.O}");
            }
            catch (Exception e) when (IsLostConnection(e))
            {
                client?.Dispose();
                return null;
            }
        }

        // What a call or a connect throws when its node dies under it or is already gone.
        private static bool IsLostConnection(Exception e) =>
            e is GatewayConnectionException or WebSocketException or TimeoutException or ObjectDisposedException or OperationCanceledException
                or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException;
    }
}
