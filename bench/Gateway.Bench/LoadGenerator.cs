using System.Diagnostics;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>The figures of one run: completed requests in the measured window, their latencies, and failures.</summary>
internal sealed record RunResult(string Target, int Sockets, int Depth, double Seconds, long Completed, long Failed, long[] LatencyTicks)
{
    public double RequestsPerSecond => Completed / Seconds;

    /// <summary>CPU seconds (user + system) the server process spent in the measured window; NaN when not measured.</summary>
    public double ServerCpuSeconds { get; init; } = double.NaN;

    /// <summary>CPU seconds of the load generator (this process) in the measured window.</summary>
    public double ClientCpuSeconds { get; init; } = double.NaN;

    public double ServerMicrosPerRequest => ServerCpuSeconds * 1e6 / Completed;

    public double ClientMicrosPerRequest => ClientCpuSeconds * 1e6 / Completed;

    public double PercentileMs(double p)
    {
        if (LatencyTicks.Length == 0)
            return double.NaN;
        var index = Math.Min(LatencyTicks.Length - 1, (int)Math.Ceiling(p / 100 * LatencyTicks.Length) - 1);
        return LatencyTicks[Math.Max(0, index)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>Closed-loop load: each socket keeps <c>depth</c> requests in flight, sending the next as each reply arrives.</summary>
internal static class LoadGenerator
{
    public static async Task<RunResult> RunAsync(string target, IReadOnlyList<Uri> urls, Workload workload, int sockets, int depth, double warmup, double seconds, IReadOnlyList<int> serverPids, CancellationToken ct)
    {
        var connections = new BenchSocket[sockets];
        for (var s = 0; s < sockets; s++)
        {
            // Sockets are spread over the nodes in contiguous blocks, so each node serves every user of the workload.
            connections[s] = await BenchSocket.ConnectAsync(urls[s * urls.Count / sockets], ct);
            if (workload.Tokens[s] is { } token)
            {
                var resumed = await connections[s].CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }), ct);
                if (!resumed.Contains("\"Authenticated\":true", StringComparison.Ordinal))
                    throw new InvalidOperationException($"socket {s} could not resume its session: {resumed}");
            }
        }

        var window = CpuWindow.Starting(warmup, seconds);
        var cpu = window.MeasureAsync(serverPids, ct);
        var results = await Task.WhenAll(connections.Select((socket, index) => Task.Run(() => DriveAsync(socket, index, workload, depth, window, ct), ct)));
        var (server, client) = await cpu;
        foreach (var socket in connections)
        {
            try
            {
                await socket.CloseAsync(ct).WaitAsync(TimeSpan.FromSeconds(5), ct);
            }
            catch (Exception e) when (e is TimeoutException or System.Net.WebSockets.WebSocketException)
            {
                // A socket that will not close politely is dropped; the figures are already taken.
            }
            socket.Dispose();
        }

        var latencies = results.SelectMany(r => r.Latencies).ToArray();
        Array.Sort(latencies);
        return new RunResult(target, sockets, depth, seconds, results.Sum(r => r.Completed), results.Sum(r => r.Failed), latencies) { ServerCpuSeconds = server, ClientCpuSeconds = client };
    }

    private sealed record SocketResult(long Completed, long Failed, List<long> Latencies);

    private static async Task<SocketResult> DriveAsync(BenchSocket socket, int index, Workload workload, int depth, CpuWindow window, CancellationToken ct)
    {
        var inFlight = new Dictionary<long, (long Sent, int Slot)>(depth * 2);
        var perSlot = new long[depth];
        var latencies = new List<long>(1 << 16);
        long sequence = 0, completed = 0, failed = 0;

        async ValueTask SendAsync(int slot)
        {
            var (function, payload) = workload.Next(index, slot, perSlot[slot]++);
            sequence += 2;
            inFlight[sequence] = (Stopwatch.GetTimestamp(), slot);
            await socket.SendAsync(BenchSocket.Frame(sequence, function, payload), ct);
        }

        for (var slot = 0; slot < depth; slot++)
            await SendAsync(slot);
        while (inFlight.Count > 0)
        {
            var reply = Reply.Read((await socket.ReceiveAsync(ct)).Span);
            var now = Stopwatch.GetTimestamp();
            if (!inFlight.Remove(reply.Sequence, out var sent))
                continue;
            if (window.Contains(now))
            {
                completed++;
                latencies.Add(now - sent.Sent);
                if (reply.Failed)
                    failed++;
            }
            if (now < window.To)
                await SendAsync(sent.Slot);
        }
        return new SocketResult(completed, failed, latencies);
    }
}
