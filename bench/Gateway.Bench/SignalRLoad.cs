using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Gateway.Bench;

/// <summary>
/// Closed-loop load with SignalR's own client: <c>sockets</c> HubConnections (WebSockets, negotiation skipped), each
/// keeping <c>depth</c> InvokeAsync calls in flight, counted in the measured window as the other clients count.
/// </summary>
internal static class SignalRLoad
{
    public static async Task<RunResult> RunAsync(string target, Uri url, Workload workload, int sockets, int depth, double warmup, double seconds, int? serverPid, CancellationToken ct)
    {
        // The client takes http(s) and turns it into ws(s) itself.
        var hubUrl = new UriBuilder(url) { Scheme = url.Scheme == "wss" ? "https" : "http" }.Uri;
        var connections = new HubConnection[sockets];
        try
        {
            for (var s = 0; s < sockets; s++)
            {
                connections[s] = new HubConnectionBuilder()
                    .WithUrl(hubUrl, HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                    .Build();
                await connections[s].StartAsync(ct);
            }

            var window = CpuWindow.Starting(warmup, seconds);
            var cpu = window.MeasureAsync(serverPid is { } pid ? [pid] : [], ct);
            var slots = Enumerable.Range(0, sockets).SelectMany(s => Enumerable.Range(0, depth).Select(slot => (s, slot)));
            var results = await Task.WhenAll(slots.Select(x => Task.Run(() => DriveAsync(connections[x.s], x.s, x.slot, workload, window, ct), ct)));
            var (server, client) = await cpu;
            var latencies = results.SelectMany(r => r.Latencies).ToArray();
            Array.Sort(latencies);
            return new RunResult(target, sockets, depth, seconds, results.Sum(r => r.Completed), results.Sum(r => r.Failed), latencies) { ServerCpuSeconds = server, ClientCpuSeconds = client };
        }
        finally
        {
            foreach (var connection in connections)
            {
                if (connection is not null)
                    await connection.DisposeAsync();
            }
        }
    }

    private sealed record SlotResult(long Completed, long Failed, List<long> Latencies);

    // One in-flight slot: the next call leaves as the previous one's reply arrives, until the window closes.
    private static async Task<SlotResult> DriveAsync(HubConnection connection, int socket, int slot, Workload workload, CpuWindow window, CancellationToken ct)
    {
        var latencies = new List<long>(1 << 14);
        long completed = 0, failed = 0, count = 0, now = 0;
        while (now < window.To)
        {
            var (function, payload) = workload.Next(socket, slot, count++);
            var sent = Stopwatch.GetTimestamp();
            var reply = await connection.InvokeAsync<JsonElement>("Call", function, payload, ct);
            now = Stopwatch.GetTimestamp();
            if (!window.Contains(now))
                continue;
            completed++;
            latencies.Add(now - sent);
            if (reply.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.False)
                failed++;
        }
        return new SlotResult(completed, failed, latencies);
    }
}
