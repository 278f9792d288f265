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

// The per-socket request limits are for production, not for measuring the engine: the bench raises them (and says so).
string[] benchSettings = [.. BenchSettings.RaisedLimits, .. options.Settings];
Console.WriteLine($"bench: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine(options.Mode == "signalr"
    ? "bench: clients batching (gateway) and Microsoft.AspNetCore.SignalR.Client (signalr); workload ping"
    : $"bench: client {options.Client}");
Console.WriteLine($"bench: gateway settings raised for measuring: {string.Join(' ', benchSettings)}");
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
                baseline = await RunOnceAsync("baseline", options, sockets, depth, benchSettings, ct);
            // ids: the same gateway workload without, then with, a ClientRequestId on every call.
            if (options.Mode == "ids")
                baseline = await RunOnceAsync("gateway", options with { RequestIds = false }, sockets, depth, benchSettings, ct);
            if (options.Mode is "paired" or "gateway" or "ids")
                gateway = await RunOnceAsync(options.Mode == "ids" || options.RequestIds ? "gw+ids" : "gateway", options with { RequestIds = options.Mode == "ids" || options.RequestIds }, sockets, depth, benchSettings, ct);
            if (baseline is not null && gateway is not null)
                pairs.Add((baseline, gateway));
        }
        if (pairs.Count > 0)
            Report.Pairs(options.Workload, sockets, depth, pairs, options.Mode == "ids" ? "ids/plain" : "gateway/baseline");
    }
}
return 0;

static async Task<RunResult> RunOnceAsync(string target, BenchOptions options, int sockets, int depth, string[] settings, CancellationToken ct)
{
    await using var server = target == "baseline" ? await ServerProcess.StartBaselineAsync() : options.Url is null ? await ServerProcess.StartGatewayAsync(settings) : null;
    var url = server?.Url ?? options.Url!;
    var workload = await Workload.PrepareAsync(options.Workload, url, sockets, depth, target == "baseline", ct, options.RequestIds);
    var run = options.Client == "batching"
        ? await BatchingLoad.RunAsync(target, url, workload, sockets, depth, options.WarmupSeconds, options.Seconds, server?.ProcessId, ct)
        : await LoadGenerator.RunAsync(target, url, workload, sockets, depth, options.WarmupSeconds, options.Seconds, server?.ProcessId, ct);
    Report.Row(options.Workload, run);
    return run;
}
