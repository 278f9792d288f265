namespace Gateway.Bench;

/// <summary>
/// --mode signalr: the gateway's Ping with the batching client against the SignalR hub's Ping with SignalR's own
/// client, alternately (hub, gateway, hub, gateway...), --pairs times per shape; the row is the median of the pairs'
/// server CPU per request, gateway / SignalR. Each server runs alone while it is measured.
/// </summary>
internal static class SignalRComparison
{
    public static async Task<int> RunAsync(BenchOptions options, string[] gatewaySettings, CancellationToken ct)
    {
        foreach (var sockets in options.Sockets)
        {
            foreach (var depth in options.Depths)
            {
                var pairs = new List<(RunResult, RunResult)>();
                for (var round = 0; round < options.Pairs; round++)
                {
                    var signalR = await RunSignalRAsync(options, sockets, depth, ct);
                    var gateway = await RunGatewayAsync(options, sockets, depth, gatewaySettings, ct);
                    pairs.Add((signalR, gateway));
                }
                Report.Pairs("ping", sockets, depth, pairs, "gateway/signalr");
            }
        }
        return 0;
    }

    private static async Task<RunResult> RunSignalRAsync(BenchOptions options, int sockets, int depth, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartSignalRAsync();
        var workload = await Workload.PrepareAsync("ping", server.Url, sockets, depth, isBaseline: true, ct);
        var run = await SignalRLoad.RunAsync("signalr", server.Url, workload, sockets, depth, options.WarmupSeconds, options.Seconds, server.ProcessId, ct);
        Print(run);
        return run;
    }

    private static async Task<RunResult> RunGatewayAsync(BenchOptions options, int sockets, int depth, string[] settings, CancellationToken ct)
    {
        await using var server = await ServerProcess.StartGatewayAsync(settings);
        var workload = await Workload.PrepareAsync("ping", server.Url, sockets, depth, isBaseline: false, ct);
        var run = await BatchingLoad.RunAsync("gateway", server.Url, workload, sockets, depth, options.WarmupSeconds, options.Seconds, server.ProcessId, ct);
        Print(run);
        return run;
    }

    // The machine is shared: the load average read as each run ends (it includes the run's own two processes) says
    // how much else was competing for the two cores while it ran.
    private static void Print(RunResult run)
    {
        Report.Row("ping", run);
        Console.WriteLine($"  loadavg {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
