using Gateway.Bench;

// The gateway against the physical limit: a bare WebSocket server on the same machine. See docs/benchmarks.md.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

switch (options.Mode)
{
    case "serve-baseline":
        return await BaselineServer.ServeAsync(options.Port);
    case "serve-signalr":
        return await SignalRServer.ServeAsync(options.Port);
    case "idle":
        await IdleSockets.RunAsync(options, ct);
        return 0;
    case "soak":
        return await Soak.RunAsync(options, ct);
    case "traders":
        return await Traders.RunAsync(options, ct);
}

await using var database = await BenchDatabase.StartAsync(options.Provider);

// The per-socket request limits are for production, not for measuring the engine: the bench raises them (and says so).
string[] benchSettings = [.. BenchSettings.RaisedLimits, .. options.Settings];
Console.WriteLine($"bench: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine(options.Mode == "signalr"
    ? "bench: clients batching (gateway) and Microsoft.AspNetCore.SignalR.Client (signalr); workload ping"
    : $"bench: client {options.Client}");
Console.WriteLine($"bench: gateway settings raised for measuring: {string.Join(' ', benchSettings)}");
Console.WriteLine($"bench: database {database.Describe}; {options.Nodes} gateway node(s) per run");
Report.Header();
if (options.Mode is "events" or "events-slow")
    return await EventsBench.RunAsync(options, benchSettings, ct);
if (options.Mode == "signalr")
    return await SignalRComparison.RunAsync(options, benchSettings, ct);
foreach (var sockets in options.Sockets)
{
    foreach (var depth in options.Depths)
    {
        var pairs = new List<(RunResult, RunResult)>();
        var rounds = options.Mode is "paired" or "ids" ? options.Pairs : 1;
        for (var round = 0; round < rounds; round++)
        {
            RunResult? baseline = null, gateway = null;
            if (options.Mode is "paired" or "baseline")
                baseline = await RunOnceAsync("baseline", options, sockets, depth, benchSettings, database, ct);
            // ids: the same gateway workload without, then with, a ClientRequestId on every call.
            if (options.Mode == "ids")
                baseline = await RunOnceAsync("gateway", options with { RequestIds = false }, sockets, depth, benchSettings, database, ct);
            if (options.Mode is "paired" or "gateway" or "ids")
                gateway = await RunOnceAsync(options.Mode == "ids" || options.RequestIds ? "gw+ids" : "gateway", options with { RequestIds = options.Mode == "ids" || options.RequestIds }, sockets, depth, benchSettings, database, ct);
            if (baseline is not null && gateway is not null)
                pairs.Add((baseline, gateway));
        }
        if (pairs.Count > 0)
            Report.Pairs(options.Workload, sockets, depth, pairs, options.Mode == "ids" ? "ids/plain" : "gateway/baseline");
    }
}
return 0;

static async Task<RunResult> RunOnceAsync(string target, BenchOptions options, int sockets, int depth, string[] settings, BenchDatabase database, CancellationToken ct)
{
    // Other sessions share this machine: the load it was under is part of each run's figures.
    Console.WriteLine($"bench: load average at the start of the run: {File.ReadAllText("/proc/loadavg").Trim()}");
    var servers = new List<ServerProcess>();
    try
    {
        if (target == "baseline")
            servers.Add(await ServerProcess.StartBaselineAsync());
        else if (options.Url is null)
        {
            // One database and master key for the run; the nodes start one after the other, so the first migrates it.
            string[] runSettings = [.. settings, .. await database.NewRunSettingsAsync()];
            for (var node = 0; node < options.Nodes; node++)
                servers.Add(await ServerProcess.StartGatewayAsync(runSettings));
        }
        Uri[] urls = servers.Count > 0 ? [.. servers.Select(s => s.Url)] : [options.Url!];
        int[] pids = [.. servers.Select(s => s.ProcessId)];
        var workload = await Workload.PrepareAsync(options.Workload, urls[0], sockets, depth, target == "baseline", ct, options.RequestIds);
        var run = options.Client == "batching"
            ? await BatchingLoad.RunAsync(target, urls, workload, sockets, depth, options.WarmupSeconds, options.Seconds, pids, ct)
            : await LoadGenerator.RunAsync(target, urls, workload, sockets, depth, options.WarmupSeconds, options.Seconds, pids, ct);
        Report.Row(options.Workload, run);
        // Only the gateways the bench started: a gateway given by --url may not serve /metrics.
        if (target != "baseline" && servers.Count > 0 && await CommitMetrics.DescribeAsync(urls, ct) is { } commits)
            Console.WriteLine(commits);
        return run;
    }
    finally
    {
        foreach (var server in servers)
            await server.DisposeAsync();
    }
}
