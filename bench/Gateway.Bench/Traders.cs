using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench;

/// <summary>
/// The load an exchange has: thousands of logged-in sockets, each making one read a second (GetUserAccounts and
/// GetUserPermissions in turn), the calls spread evenly over the second. Keep-alive stays on: the gateway pings every
/// socket at its normal interval and the client answers. Reports latency, the gateway's CPU and its RSS.
/// </summary>
internal static class Traders
{
    private const int UsersCount = 100;
    private const int ConnectAtOnce = 64;

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var count = options.Traders;
        OpenFiles.EnsureAtLeast(count + 1024);
        string[] settings = [.. BenchSettings.RaisedLimits, $"Gateway:Limits:MaxOpenSockets={count + 100}", .. options.Settings];
        await using var gateway = await ServerProcess.StartGatewayAsync(settings);
        var tokens = new List<string>();
        using (var users = await BenchUsers.AsAdminAsync(gateway.Url, ct))
        {
            var run = Guid.NewGuid().ToString("N")[..6];
            for (var u = 0; u < UsersCount; u++)
                tokens.Add(await users.CreateWithAccountAsync($"trader-{run}-{u}", ct));
        }
        var rssIdle = gateway.RssBytes;

        var sockets = new RawWebSocket[count];
        var opened = Stopwatch.StartNew();
        try
        {
            using var gate = new SemaphoreSlim(ConnectAtOnce);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async s =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    sockets[s] = await RawWebSocket.ConnectAsync(gateway.Url, ct);
                    await BatchingLoad.ResumeAsync(sockets[s], s, tokens[s % tokens.Count], ct);
                }
                finally
                {
                    gate.Release();
                }
            }));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"traders: {count} sockets logged in as {UsersCount} users in {opened.Elapsed.TotalSeconds:0.0} s; gateway RSS {rssIdle / 1048576.0:0.0} MiB before them, {gateway.RssBytes / 1048576.0:0.0} MiB after"));

            var window = CpuWindow.Starting(options.WarmupSeconds, options.Seconds);
            var cpu = window.MeasureAsync([gateway.ProcessId], ct);
            var rss = SampleRssAsync(gateway, window, ct);
            var start = Stopwatch.GetTimestamp();
            var results = await Task.WhenAll(sockets.Select((socket, s) => TradeAsync(socket, start + Stopwatch.Frequency * s / count, window, ct)));
            var (serverCpu, clientCpu) = await cpu;
            var peakRss = await rss;

            var latencies = results.SelectMany(r => r.Latencies).ToArray();
            Array.Sort(latencies);
            var result = new RunResult("gateway", count, 1, options.Seconds, latencies.Length, results.Sum(r => r.Failed), latencies)
            {
                ServerCpuSeconds = serverCpu,
                ClientCpuSeconds = clientCpu,
            };
            Report.Header();
            Report.Row("traders", result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TRADERS {count} sockets x 1 call/s: {result.RequestsPerSecond:0} calls/s, p50 {result.PercentileMs(50):0.000} ms, p99 {result.PercentileMs(99):0.000} ms, " +
                $"p99.9 {result.PercentileMs(99.9):0.000} ms, failed {result.Failed}; gateway CPU {serverCpu / options.Seconds * 100:0.0}% of a core " +
                $"({result.ServerMicrosPerRequest:0.0} µs per call), RSS peak {peakRss / 1048576.0:0.0} MiB (idle before the sockets {rssIdle / 1048576.0:0.0} MiB)"));
            return 0;
        }
        finally
        {
            foreach (var socket in sockets)
                socket?.Dispose();
        }
    }

    private sealed record TraderResult(long Failed, List<long> Latencies);

    // One call a second from this socket's own offset in the second; a reply that comes late does not shift the beat.
    private static async Task<TraderResult> TradeAsync(RawWebSocket socket, long first, CpuWindow window, CancellationToken ct)
    {
        var frames = new FrameCache();
        var latencies = new List<long>();
        long failed = 0, sequence = 0;
        for (var due = first; due < window.To; due += Stopwatch.Frequency)
        {
            var wait = (due - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency;
            if (wait > 0)
                await Task.Delay(TimeSpan.FromSeconds(wait), ct);
            sequence += 2;
            socket.Add(frames.Frame(sequence, sequence % 4 == 2 ? "GetUserAccounts" : "GetUserPermissions", "{}"));
            var sent = Stopwatch.GetTimestamp();
            await socket.FlushAsync(ct);
            long answered = 0;
            var replyFailed = false;
            while (answered == 0)
            {
                await socket.ReceiveAsync(text =>
                {
                    var (replySequence, bad) = ReplyScan.Read(text.Span);
                    if (replySequence != sequence)
                        return;
                    answered = Stopwatch.GetTimestamp();
                    replyFailed = bad;
                }, ct);
                if (socket.Pending > 0)
                    await socket.FlushAsync(ct);
            }
            if (!window.Contains(sent))
                continue;
            latencies.Add(answered - sent);
            if (replyFailed)
                failed++;
        }
        return new TraderResult(failed, latencies);
    }

    private static async Task<long> SampleRssAsync(ServerProcess gateway, CpuWindow window, CancellationToken ct)
    {
        long peak = 0;
        while (Stopwatch.GetTimestamp() < window.To)
        {
            peak = Math.Max(peak, gateway.RssBytes);
            await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        }
        return peak;
    }
}
