using System.Globalization;

namespace Gateway.Bench;

/// <summary>What to run: targets, workload, shape of the load and how long.</summary>
internal sealed record BenchOptions
{
    public string Mode { get; init; } = "paired";           // paired | gateway | baseline | ids | signalr | events | events-slow | idle | soak | traders | serve-baseline | serve-signalr
    public Uri? Url { get; init; }                          // an already running gateway instead of starting one
    public string Workload { get; init; } = "ping";         // ping | accounts | permissions | writes | mixed
    public string Client { get; init; } = "websocket";      // websocket (ClientWebSocket) | batching (raw socket, one send per batch)
    public IReadOnlyList<int> Sockets { get; init; } = [64];
    public IReadOnlyList<int> Depths { get; init; } = [1, 8];
    public double Seconds { get; init; } = 10;
    public double WarmupSeconds { get; init; } = 3;
    public int Pairs { get; init; } = 3;
    public int IdleSockets { get; init; } = 5000;
    public int Traders { get; init; } = 10_000;
    public int Port { get; init; }
    public double Minutes { get; init; } = 10;
    public IReadOnlyList<string> Settings { get; init; } = [];
    public bool RequestIds { get; init; }                   // every write carries a fresh ClientRequestId
    public string Provider { get; init; } = "sqlite";       // sqlite | postgres (a throwaway durable cluster for the bench)
    public int Nodes { get; init; } = 1;                    // gateway processes per run on one database (postgres only)

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Gateway.Bench -- [options]
          --mode paired|gateway|baseline|ids|idle   paired (default): baseline and gateway alternately, --pairs times each;
                                                ids: the gateway without and with --request-ids alternately (writes)
          --mode signalr                        Ping: the gateway (batching client) and a SignalR hub (its own client) alternately,
                                                --pairs times each: server CPU per request gateway/signalr
          --mode events                         writes, each target user followed by a socket of its own: event latency p50/p99
          --mode events-slow                    writes without and with a socket following every user that never reads
          --request-ids                         every write call carries a fresh ClientRequestId (protocol.md 9.1)
          --workload ping|accounts|permissions|writes|mixed
          --client websocket|batching           websocket (default): one ClientWebSocket send per frame; batching: raw socket, one send per batch
          --sockets 1,64,256   --depth 1,8      every combination is run
          --seconds 10   --warmup 3   --pairs 3
          --idle-sockets 5000                   idle mode: RSS per idle authenticated socket
          --mode soak --minutes 10 --sockets 50 soak mode: 80% reads / 20% writes, a reconnect every second
          --mode traders --traders 10000        that many logged-in sockets, one read a second each: latency, gateway CPU and RSS
          --url ws://host:port/WSGateway        measure a running gateway (gateway mode only; needs admin in GATEWAY_ADMIN_PASSWORD)
          --set Key=Value                       extra gateway setting, e.g. --set Gateway:Limits:MaxCallsInFlightPerSocket=64
          --provider sqlite|postgres            postgres: a throwaway PostgreSQL cluster (fsync on) for the bench, a fresh database per run
          --nodes 2                             postgres, gateway/paired/ids modes: that many gateways on the run's database, sockets split evenly
        """;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--mode" => options with { Mode = Next() },
                "--url" => options with { Url = new Uri(Next()) },
                "--workload" => options with { Workload = Next() },
                "--client" => options with { Client = Next() is var c && c is "websocket" or "batching" ? c : throw new ArgumentException("--client is websocket or batching") },
                "--sockets" => options with { Sockets = Ints(Next()) },
                "--depth" => options with { Depths = Ints(Next()) },
                "--seconds" => options with { Seconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--warmup" => options with { WarmupSeconds = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--pairs" => options with { Pairs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--idle-sockets" => options with { IdleSockets = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--traders" => options with { Traders = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--minutes" => options with { Minutes = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--port" => options with { Port = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--set" => Add(options, settings, Next()),
                "--request-ids" => options with { RequestIds = true },
                "--provider" => options with { Provider = Next() is var p && p is "sqlite" or "postgres" ? p : throw new ArgumentException("--provider is sqlite or postgres") },
                "--nodes" => options with { Nodes = int.Parse(Next(), CultureInfo.InvariantCulture) is var n && n >= 1 ? n : throw new ArgumentException("--nodes is at least 1") },
                _ => throw new ArgumentException($"unknown option {args[i]}\n{Usage}"),
            };
        }
        // SQLite gives each gateway process a file of its own: several nodes share a database only on PostgreSQL.
        if (options.Nodes > 1 && options.Provider != "postgres")
            throw new ArgumentException("--nodes above 1 needs --provider postgres");
        // The other modes start their gateways themselves, each on a SQLite file of its own.
        if (options.Provider == "postgres" && options.Mode is not ("paired" or "gateway" or "baseline" or "ids"))
            throw new ArgumentException("--provider postgres is for the paired, gateway, baseline and ids modes");
        if (options.Provider == "postgres" && options.Url is not null)
            throw new ArgumentException("--provider postgres starts the gateways itself: it does not go with --url");
        return options with { Settings = settings };
    }

    private static BenchOptions Add(BenchOptions options, List<string> settings, string setting)
    {
        settings.Add(setting);
        return options;
    }

    private static int[] Ints(string text) => [.. text.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
}
