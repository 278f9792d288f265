using System.Globalization;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// The long run: sockets doing 80% reads and 20% writes of their own user, one of them reconnecting (and resuming its
/// session) every second; counts errorcode 102, other failures and calls never answered, and samples the gateway's RSS.
/// </summary>
internal static class Soak
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(BenchOptions options, CancellationToken ct)
    {
        var sockets = options.Sockets[0];
        var duration = TimeSpan.FromMinutes(options.Minutes);
        await using var gateway = await ServerProcess.StartGatewayAsync(options.Settings);
        var tokens = await CreateUsersAsync(gateway.Url, sockets, ct);
        var counters = new Counters();
        var reconnectTurn = new int[1];
        var samples = new List<(TimeSpan At, long Rss)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(duration);

        var workers = Enumerable.Range(0, sockets).Select(s => Task.Run(() => WorkAsync(gateway.Url, s, tokens[s], counters, reconnectTurn, stop.Token), ct)).ToList();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{gateway.Url.Authority}"), Timeout = TimeSpan.FromSeconds(5) };
        using var ticker = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!stop.IsCancellationRequested && await ticker.WaitForNextTickAsync(CancellationToken.None))
        {
            Interlocked.Exchange(ref reconnectTurn[0], (int)(clock.Elapsed.TotalSeconds % sockets) + 1);
            if ((int)clock.Elapsed.TotalSeconds % 10 == 0)
            {
                samples.Add((clock.Elapsed, gateway.RssBytes));
                var open = JsonDocument.Parse(await http.GetStringAsync("/health", ct)).RootElement.GetProperty("OpenSockets").GetInt32();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"soak {clock.Elapsed:mm\\:ss} calls {counters.Calls} failed {counters.Failed} errorcode102 {counters.ServerFaults} unanswered {counters.Unanswered} reconnects {counters.Reconnects} open sockets {open} rss {gateway.RssBytes / 1048576.0:0.0} MiB"));
            }
        }
        await Task.WhenAll(workers);

        // Growth over the second half, from the mean of its first three samples to the mean of its last three, so one
        // sample taken just before a garbage collection does not decide it.
        var half = samples.Where(s => s.At >= duration / 2).ToList();
        var (start, end) = half.Count >= 6 ? (half.Take(3).Average(s => (double)s.Rss), half.TakeLast(3).Average(s => (double)s.Rss)) : (double.NaN, double.NaN);
        var growth = (end - start) * 100.0 / start;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SOAK {duration.TotalMinutes:0} min, {sockets} sockets, 80% reads / 20% writes, 1 reconnect/s: calls {counters.Calls}, errorcode 102: {counters.ServerFaults}, other failures: {counters.Failed}, unanswered: {counters.Unanswered}, reconnects: {counters.Reconnects}, RSS over the second half {start / 1048576.0:0.0} -> {end / 1048576.0:0.0} MiB ({growth:+0.0;-0.0}%)"));
        return counters.ServerFaults == 0 && counters.Unanswered == 0 && growth < 5 ? 0 : 1;
    }

    private static async Task WorkAsync(Uri url, int index, string token, Counters counters, int[] reconnectTurn, CancellationToken ct)
    {
        BenchSocket? socket = null;
        long n = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (socket is null || Interlocked.CompareExchange(ref reconnectTurn[0], 0, index + 1) == index + 1)
                {
                    socket?.Dispose();
                    socket = await ConnectAsync(url, token, ct);
                    Interlocked.Increment(ref counters.Reconnects);
                }
                var (function, payload) = (n++ % 5) switch
                {
                    0 => ("SetUserInfo", $"{{\"FirstName\":\"soak-{n}\"}}"),
                    1 => ("GetUserAccounts", "{}"),
                    2 => ("GetUserPermissions", "{}"),
                    _ => ("GetUserInfo", "{}"),
                };
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
                deadline.CancelAfter(CallDeadline);
                try
                {
                    var reply = await socket.CallAsync(function, payload, deadline.Token);
                    Interlocked.Increment(ref counters.Calls);
                    if (reply.Contains("\"errorcode\":102", StringComparison.Ordinal))
                        Interlocked.Increment(ref counters.ServerFaults);
                    else if (reply.Contains("\"result\":false", StringComparison.Ordinal))
                        Interlocked.Increment(ref counters.Failed);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref counters.Unanswered);
                    socket.Dispose();
                    socket = null;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run is over.
        }
        finally
        {
            socket?.Dispose();
        }
    }

    private static async Task<BenchSocket> ConnectAsync(Uri url, string token, CancellationToken ct)
    {
        var socket = await BenchSocket.ConnectAsync(url, ct);
        var resumed = await socket.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }), ct);
        return resumed.Contains("\"Authenticated\":true", StringComparison.Ordinal) ? socket : throw new InvalidOperationException($"resume refused: {resumed}");
    }

    private static async Task<string[]> CreateUsersAsync(Uri url, int count, CancellationToken ct)
    {
        using var users = await BenchUsers.AsAdminAsync(url, ct);
        var tokens = new string[count];
        for (var u = 0; u < count; u++)
            tokens[u] = await users.CreateWithAccountAsync($"soak-{u}", ct);
        return tokens;
    }

    private sealed class Counters
    {
        public long Calls;
        public long Failed;
        public long ServerFaults;
        public long Unanswered;
        public long Reconnects;
    }
}
