using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md section 8: a write acknowledged before a SIGKILL is there after the restart, audited, in a sound file.</summary>
[TestFixture]
public sealed class CrashSafetyTests
{
    private const string AdminPassword = "crash-admin-password";
    private const int PlannedCalls = 500;
    private const int KillAfterAcknowledgements = 250;
    private const int Users = 12;
    private const int Sockets = 4;
    private const int LanesPerSocket = 12;
    private static readonly TimeSpan ReplyDeadline = TimeSpan.FromSeconds(15);

    [Test]
    [CancelAfter(90_000)]
    public async Task PermissionWrites_ProcessKilledMidStream_EveryAcknowledgedWriteSurvivesRestart(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-crash-");
        try
        {
            string[] settings = [$"--Gateway:DatabasePath={Path.Combine(dir.FullName, "gateway.db")}"];
            var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = AdminPassword };
            List<Lane> lanes;
            await using (var host = await HostProcess.StartAsync(dir.FullName, environment, settings))
                lanes = await WriteUntilKilledAsync(host, ct);

            var pairs = lanes.SelectMany(lane => lane.Pairs).ToList();
            Assert.That(pairs.Sum(p => p.Acknowledged.Count), Is.GreaterThanOrEqualTo(KillAfterAcknowledgements));
            Assert.That(lanes.Count(lane => lane.InFlight is not null), Is.Positive, "nothing was in flight when the process was killed");

            await using var restarted = await HostProcess.StartAsync(dir.FullName, environment, settings);
            using var admin = await TestClient.ConnectAsync(restarted.WsUri);
            await admin.LoginAsync("admin", AdminPassword);
            var held = new Dictionary<int, string[]>();
            foreach (var userId in pairs.Select(p => p.UserId).Distinct())
                held[userId] = (await admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).Payload.EnumerateArray().Select(e => e.GetString()!).ToArray();

            await using var db = await DatabaseProbe.OpenAsync(Path.Combine(dir.FullName, "gateway.db"));
            if (!TestProvider.IsPostgres)
                Assert.That(await db.ExecuteScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
            var audited = (await db.QueryAsync<string>(
                "SELECT Function || ': ' || Change FROM audit_log WHERE Function IN ('AddUserPermission', 'RevokeUserPermission') ORDER BY Id")).ToList();

            var exact = 0;
            foreach (var lane in lanes)
            {
                foreach (var pair in lane.Pairs)
                {
                    var inFlight = lane.InFlight?.Pair == pair ? lane.InFlight : null;
                    var history = audited.Where(pair.Describes).ToList();
                    var acknowledged = pair.Acknowledged.Select(pair.Describe).ToList();
                    var holds = held[pair.UserId].Contains(pair.Permission);
                    if (inFlight is null)
                    {
                        exact++;
                        Assert.That(history, Is.EqualTo(acknowledged), $"audit of {pair}");
                        Assert.That(holds, Is.EqualTo(pair.Expected), $"state of {pair} after {acknowledged.Count} acknowledged writes");
                    }
                    else
                    {
                        // The one unacknowledged write may or may not have committed, but only with its audit row.
                        var committed = acknowledged.Append(pair.Describe(inFlight.Grant)).ToList();
                        Assert.That(history, Is.EqualTo(acknowledged).Or.EqualTo(committed), $"audit of {pair}");
                        Assert.That(holds, Is.EqualTo(history.Count == acknowledged.Count ? pair.Expected : inFlight.Grant), $"state of {pair} against its audit");
                    }
                }
            }
            TestContext.Out.WriteLine($"{pairs.Sum(p => p.Acknowledged.Count)} writes acknowledged, {lanes.Count(l => l.InFlight is not null)} in flight at the kill, " +
                $"{audited.Count} permission writes audited, {exact} of {pairs.Count} pairs checked exactly");
            Assert.That(exact, Is.GreaterThan(pairs.Count / 2));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // Each (user, permission) pair belongs to one lane, and a lane sends its next write only after the previous
    // reply, so the writes to one pair commit in the order sent; many lanes share each socket, so calls pipeline.
    private static async Task<List<Lane>> WriteUntilKilledAsync(HostProcess host, CancellationToken ct)
    {
        using var admin = await TestClient.ConnectAsync(host.WsUri);
        await admin.LoginAsync("admin", AdminPassword);
        var permissions = (await admin.CallAsync("GetAvailablePermissionList")).Payload.EnumerateArray()
            .Select(e => e.GetString()!).Where(p => p != PermissionNames.Operator).ToList();
        var pairs = new List<Pair>();
        for (var u = 0; u < Users; u++)
        {
            var userId = await admin.CreateUserAsync($"crash-{u}");
            pairs.AddRange(permissions.Select(p => new Pair(userId, p, PermissionNames.NewUserDefaults.Contains(p))));
        }

        var clients = new List<TestClient>();
        try
        {
            for (var s = 0; s < Sockets; s++)
            {
                clients.Add(await TestClient.ConnectAsync(host.WsUri));
                await clients[^1].LoginAsync("admin", AdminPassword);
            }
            var laneCount = Sockets * LanesPerSocket;
            var lanes = Enumerable.Range(0, laneCount)
                .Select(l => new Lane(l, clients[l % Sockets], pairs.Where((_, i) => i % laneCount == l).ToList())).ToList();
            var run = new Run(host);
            await Task.WhenAll(lanes.Select(lane => lane.RunAsync(run, ct))).WaitAsync(TimeSpan.FromSeconds(60), ct);
            Assert.That(run.Failures, Is.Empty);
            Assert.That(run.Killed.IsCompleted, Is.True, "the lanes stopped before the process was killed");
            await host.WaitForExitAsync(TimeSpan.FromSeconds(10));

            // Replies already received when the connection dropped are acknowledgements too.
            foreach (var client in clients)
                await client.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);
            foreach (var lane in lanes)
                await lane.SettleLateReplyAsync(run);
            Assert.That(run.Failures, Is.Empty);
            return lanes;
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    private sealed record Operation(Pair Pair, bool Grant, Task<ReplyFrame> Reply)
    {
        public static string Describe(bool grant) => grant ? "AddUserPermission" : "RevokeUserPermission";
    }

    private sealed class Pair(int userId, string permission, bool heldAtStart)
    {
        public int UserId => userId;
        public string Permission => permission;

        /// <summary>The state the acknowledged writes leave.</summary>
        public bool Expected { get; private set; } = heldAtStart;

        public List<bool> Acknowledged { get; } = [];

        public void Acknowledge(bool grant)
        {
            Acknowledged.Add(grant);
            Expected = grant;
        }

        /// <summary>The audit record a write on this pair leaves: function and change.</summary>
        public string Describe(bool grant) =>
            grant ? $"AddUserPermission: granted {permission} to user {userId}" : $"RevokeUserPermission: revoked {permission} from user {userId}";

        public bool Describes(string audited) => audited == Describe(true) || audited == Describe(false);

        public override string ToString() => $"user {userId} / {permission}";
    }

    private sealed class Run(HostProcess host)
    {
        private int _started;
        private int _acknowledged;
        private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Killed => _killed.Task;
        public ConcurrentQueue<string> Failures { get; } = new();

        public bool TryStart() => !_killed.Task.IsCompleted && Interlocked.Increment(ref _started) <= PlannedCalls;

        public void Acknowledged()
        {
            if (Interlocked.Increment(ref _acknowledged) != KillAfterAcknowledgements)
                return;
            host.Signal(HostProcess.SigKill);
            _killed.TrySetResult();
        }
    }

    private sealed class Lane(int index, TestClient client, List<Pair> pairs)
    {
        private long _sequence = (index + 1) * 1_000_000L;

        public List<Pair> Pairs => pairs;

        /// <summary>The write sent but not acknowledged when the lane stopped.</summary>
        public Operation? InFlight { get; private set; }

        public async Task RunAsync(Run run, CancellationToken ct)
        {
            for (var n = 0; run.TryStart(); n++)
            {
                var pair = pairs[n % pairs.Count];
                var sequence = ++_sequence;
                InFlight = new Operation(pair, !pair.Expected, client.Expect(sequence));
                var payload = JsonSerializer.Serialize(new { pair.UserId, pair.Permission });
                client.Send(TestClient.Frame(0, sequence, Operation.Describe(InFlight.Grant), payload));
                // The kill, or the socket dropping under it, leaves this write in flight with its outcome unknown.
                if (await Task.WhenAny(InFlight.Reply, run.Killed).WaitAsync(ReplyDeadline, ct) != InFlight.Reply || !InFlight.Reply.IsCompletedSuccessfully)
                    return;
                if (!Settle(run, await InFlight.Reply))
                    return;
                run.Acknowledged();
            }
        }

        public async Task SettleLateReplyAsync(Run run)
        {
            if (InFlight is { Reply.IsCompletedSuccessfully: true })
                Settle(run, await InFlight.Reply);
        }

        private bool Settle(Run run, ReplyFrame reply)
        {
            var operation = InFlight!;
            if (reply.ErrorCode() != 0 || !reply.Payload.GetProperty("result").GetBoolean())
            {
                run.Failures.Enqueue($"{Operation.Describe(operation.Grant)} on {operation.Pair}: {reply.O}");
                return false;
            }
            operation.Pair.Acknowledge(operation.Grant);
            InFlight = null;
            return true;
        }
    }
}
