using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Shutdown under load: SIGTERM with 100 busy sockets; 1001 each, exit 0 within 10 s, no acknowledged write lost.</summary>
[TestFixture]
public sealed class ShutdownUnderLoadTests
{
    private const string AdminPassword = "shutdown-admin-password";
    private const int Sockets = 100;
    private const int SignalAfterWrites = 300;
    private static readonly TimeSpan ReplyDeadline = TimeSpan.FromSeconds(15);

    [Test]
    [CancelAfter(120_000)]
    public async Task SigTerm_100SocketsRunningCalls_Each1001ExitZeroAndAcknowledgedWritesKept(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-shutdown-");
        try
        {
            var environment = new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = AdminPassword };
            // Every socket resumes the admin's session: the sockets and logins of one user from one address are raised.
            string[] settings =
            [
                $"--Gateway:Limits:MaxSocketsPerUser={Sockets + 10}", $"--Gateway:Limits:LoginsPerUserPerMinute={Sockets + 10}",
                $"--Gateway:Limits:LoginsPerAddressPerMinute={Sockets + 10}",
            ];
            List<Lane> lanes;
            await using (var host = await HostProcess.StartAsync(dir.FullName, environment, settings))
                lanes = await RunUntilSignalledAsync(host, ct);

            await using var restarted = await HostProcess.StartAsync(dir.FullName, environment, settings);
            using var admin = await TestClient.ConnectAsync(restarted.WsUri);
            await admin.LoginAsync("admin", AdminPassword);
            var exact = 0;
            foreach (var lane in lanes)
            {
                var held = (await admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{lane.UserId}}}")).Payload
                    .EnumerateArray().Any(e => e.GetString() == lane.Permission);
                if (lane.InFlight is { } unacknowledged)
                    Assert.That(held, Is.EqualTo(lane.Expected).Or.EqualTo(unacknowledged), $"{lane}: neither the acknowledged state nor the one in flight");
                else
                {
                    exact++;
                    Assert.That(held, Is.EqualTo(lane.Expected), $"{lane}: an acknowledged write is missing after the restart");
                }
            }
            TestContext.Out.WriteLine($"{lanes.Sum(l => l.Writes)} writes and {lanes.Sum(l => l.Pings)} pings acknowledged; " +
                $"{exact} of {lanes.Count} lanes had nothing in flight and were checked exactly");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<List<Lane>> RunUntilSignalledAsync(HostProcess host, CancellationToken ct)
    {
        using var admin = await TestClient.ConnectAsync(host.WsUri);
        var token = await admin.LoginAsync("admin", AdminPassword);
        var permissions = (await admin.CallAsync("GetAvailablePermissionList")).Payload.EnumerateArray()
            .Select(e => e.GetString()!).Where(p => p != PermissionNames.Operator).ToList();
        var pairs = new List<(int UserId, string Permission, bool Held)>();
        for (var u = 0; pairs.Count < Sockets; u++)
        {
            var userId = await admin.CreateUserAsync($"load-{u}");
            pairs.AddRange(permissions.Select(p => (userId, p, PermissionNames.NewUserDefaults.Contains(p))));
        }

        var clients = new List<TestClient>();
        try
        {
            foreach (var _ in Enumerable.Range(0, Sockets))
            {
                var client = await TestClient.ConnectAsync(host.WsUri);
                clients.Add(client);
                var resumed = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
                Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resumed.O);
            }
            var lanes = clients.Select((c, i) => new Lane(c, pairs[i].UserId, pairs[i].Permission, pairs[i].Held)).ToList();
            var run = new Run();
            var running = lanes.Select(lane => lane.RunAsync(run, ct)).ToList();

            await run.Signal.WaitAsync(TimeSpan.FromSeconds(60), ct);
            var signalled = Stopwatch.StartNew();
            host.Signal(HostProcess.SigTerm);
            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(10));
            var exitedAfter = signalled.Elapsed;
            Assert.That(exitCode, Is.Zero, host.Output);

            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(20), ct);
            Assert.That(run.Failures, Is.Empty);
            var statuses = await Task.WhenAll(clients.Select(c => c.Closed.WaitAsync(TimeSpan.FromSeconds(5), ct)));
            TestContext.Out.WriteLine($"exited {exitedAfter.TotalSeconds:0.00} s after SIGTERM");
            Assert.That(statuses.Select(s => s.CloseStatus), Is.All.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            Assert.That(admin.Closed.IsCompleted, Is.True);
            return lanes;
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    private sealed class Run
    {
        private int _writes;
        private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Signal => _signal.Task;
        public ConcurrentQueue<string> Failures { get; } = new();

        public void Acknowledged()
        {
            if (Interlocked.Increment(ref _writes) == SignalAfterWrites)
                _signal.TrySetResult();
        }
    }

    // One socket, one (user, permission) pair of its own: a Ping, then the write that flips the pair, until the socket closes.
    private sealed class Lane(TestClient client, int userId, string permission, bool heldAtStart)
    {
        private long _sequence;

        public int UserId => userId;
        public string Permission => permission;
        public bool Expected { get; private set; } = heldAtStart;
        public bool? InFlight { get; private set; }
        public int Writes { get; private set; }
        public int Pings { get; private set; }

        public async Task RunAsync(Run run, CancellationToken ct)
        {
            while (true)
            {
                var ping = await CallAsync("Ping", "{}", ct);
                if (ping is null)
                    return;
                Pings++;
                var grant = !Expected;
                InFlight = grant;
                var reply = await CallAsync(grant ? "AddUserPermission" : "RevokeUserPermission",
                    JsonSerializer.Serialize(new { UserId = userId, Permission = permission }), ct);
                if (reply is null)
                    return;
                if (reply.ErrorCode() != 0 || !reply.Payload.GetProperty("result").GetBoolean())
                {
                    run.Failures.Enqueue($"{this}: {reply.O}");
                    return;
                }
                Expected = grant;
                InFlight = null;
                Writes++;
                run.Acknowledged();
            }
        }

        // The reply, or null once the socket has closed without one.
        private async Task<ReplyFrame?> CallAsync(string function, string payload, CancellationToken ct)
        {
            if (client.Closed.IsCompleted)
                return null;
            var sequence = _sequence += 2;
            var reply = client.Expect(sequence);
            client.Send(TestClient.Frame(0, sequence, function, payload));
            await Task.WhenAny(reply, client.Closed).WaitAsync(ReplyDeadline, ct);
            return reply.IsCompletedSuccessfully ? await reply : null;
        }

        public override string ToString() => $"user {userId} / {permission}";
    }
}
