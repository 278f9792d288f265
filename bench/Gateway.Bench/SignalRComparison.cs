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
        // One pair first that is not counted. The servers are new processes every run, but both clients live in this
        // one: the first SignalR run of a process spent 20-26 µs of client CPU a call against 7-9 later, a 12 s warm-up
        // and all (the process had compiled 3,756 methods after it and 7,063 after the next: its client still at tier-0
        // JIT), and, starved of calls, its server paid 10-25 µs per call instead of 5-8.
        Console.WriteLine("# a pair to bring both clients' code to its optimized tier, not counted");
        await RunSignalRAsync(options, options.Sockets[0], options.Depths[0], ct);
        await RunGatewayAsync(options, options.Sockets[0], options.Depths[0], gatewaySettings, ct);
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
        var run = await BatchingLoad.RunAsync("gateway", [server.Url], workload, sockets, depth, options.WarmupSeconds, options.Seconds, [server.ProcessId], ct);
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
