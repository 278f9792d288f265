using System.Globalization;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// --mode events: the writes workload while each write's target user has a socket subscribed to its own events; the
/// latency of each event from its Time (stamped in the write's transaction, just before the commit) to its receipt.
/// --mode events-slow: the writes workload alternately without and with one socket subscribed to every user (0) that
/// never reads, for the write rate with it over the rate without it.
/// </summary>
internal static class EventsBench
{
    public static async Task<int> RunAsync(BenchOptions options, string[] settings, CancellationToken ct)
    {
        foreach (var sockets in options.Sockets)
        {
            foreach (var depth in options.Depths)
            {
                if (options.Mode == "events")
                    await LatencyAsync(options, sockets, depth, settings, ct);
                else
                    await SlowSubscriberAsync(options, sockets, depth, settings, ct);
            }
        }
        return 0;
    }

    private static async Task LatencyAsync(BenchOptions options, int sockets, int depth, string[] settings, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartGatewayAsync(settings);
        var workload = await Workload.PrepareAsync("writes", server.Url, sockets, depth, isBaseline: false, ct, logTargetsIn: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var subscribers = new List<BenchSocket>();
        foreach (var token in workload.TargetTokens)
        {
            var socket = await BenchSocket.ConnectAsync(server.Url, ct);
            await socket.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }), ct);
            await socket.CallAsync("SubscribeUserEvents", "{}", ct);
            subscribers.Add(socket);
        }
        var readers = subscribers.Select(s => Task.Run(() => ReadEventsAsync(s, stop.Token), ct)).ToList();
        var run = await LoadGenerator.RunAsync("gw+events", [server.Url], workload, sockets, depth, options.WarmupSeconds, options.Seconds, [server.ProcessId], ct);
        Report.Row("writes", run);
        await stop.CancelAsync();
        var latencies = (await Task.WhenAll(readers)).SelectMany(l => l).Order().ToArray();
        foreach (var socket in subscribers)
            socket.Dispose();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"EVENTS writes {sockets}x{depth}: {latencies.Length} events to {subscribers.Count} subscribers; Time-to-receipt p50 {Percentile(latencies, 50):0.0} ms, p99 {Percentile(latencies, 99):0.0} ms, p99.9 {Percentile(latencies, 99.9):0.0} ms, max {latencies.LastOrDefault():0.0} ms"));
    }

    private static async Task<List<double>> ReadEventsAsync(BenchSocket socket, CancellationToken stop)
    {
        var latencies = new List<double>();
        try
        {
            while (true)
            {
                var frame = await socket.ReceiveAsync(stop);
                var received = DateTimeOffset.UtcNow;
                var reply = Reply.Read(frame.Span);
                if (reply.Sequence != 0 || reply.Payload.Length == 0)
                    continue;
                using var payload = JsonDocument.Parse(reply.Payload);
                if (payload.RootElement.TryGetProperty("Time", out var time))
                    latencies.Add((received - DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture)).TotalMilliseconds);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException)
        {
            return latencies;
        }
    }

    private static async Task SlowSubscriberAsync(BenchOptions options, int sockets, int depth, string[] settings, CancellationToken ct)
    {
        var pairs = new List<(RunResult, RunResult)>();
        for (var pair = 0; pair < options.Pairs; pair++)
        {
            var without = await WritesAsync("gateway", options, sockets, depth, settings, slow: false, ct);
            var with = await WritesAsync("gw+slow", options, sockets, depth, settings, slow: true, ct);
            pairs.Add((without, with));
        }
        Report.Pairs("writes", sockets, depth, pairs, "slow/none");
    }

    private static async Task<RunResult> WritesAsync(string target, BenchOptions options, int sockets, int depth, string[] settings, bool slow, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartGatewayAsync(settings);
        var workload = await Workload.PrepareAsync("writes", server.Url, sockets, depth, isBaseline: false, ct);
        using var stalled = slow ? await StalledSubscriberAsync(server.Url, workload.Tokens[0]!, ct) : null;
        var run = await LoadGenerator.RunAsync(target, [server.Url], workload, sockets, depth, options.WarmupSeconds, options.Seconds, [server.ProcessId], ct);
        Report.Row("writes", run);
        return run;
    }

    // An operator's socket following every user that reads nothing more after its subscription is answered.
    private static async Task<BenchSocket> StalledSubscriberAsync(Uri url, string adminToken, CancellationToken ct)
    {
        var socket = await BenchSocket.ConnectAsync(url, ct, receiveBuffer: 4096);
        await socket.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = adminToken }), ct);
        await socket.CallAsync("SubscribeUserEvents", "{\"UserId\":0}", ct);
        return socket;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}
