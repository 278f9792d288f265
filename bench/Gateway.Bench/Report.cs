using System.Globalization;

namespace Gateway.Bench;

/// <summary>Prints runs as a table, and the paired ratios gateway/baseline with their median.</summary>
internal static class Report
{
    public static void Header() =>
        Console.WriteLine($"{"target",-9} {"workload",-12} {"sockets",7} {"depth",5} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"failed",7} {"srv µs/req",10} {"cli µs/req",10}");

    public static void Row(string workload, RunResult run) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Target,-9} {workload,-12} {run.Sockets,7} {run.Depth,5} {run.RequestsPerSecond,10:0} {run.PercentileMs(50),8:0.000} {run.PercentileMs(99),8:0.000} {run.PercentileMs(99.9),9:0.000} {run.Failed,7} {run.ServerMicrosPerRequest,10:0.00} {run.ClientMicrosPerRequest,10:0.00}"));

    public static void Pairs(string workload, int sockets, int depth, IReadOnlyList<(RunResult Baseline, RunResult Gateway)> pairs, string label = "gateway/baseline")
    {
        var ratios = pairs.Select(p => p.Gateway.RequestsPerSecond / p.Baseline.RequestsPerSecond).ToList();
        var p99 = pairs.Select(p => p.Gateway.PercentileMs(99) / p.Baseline.PercentileMs(99)).ToList();
        var cpu = pairs.Select(p => p.Gateway.ServerMicrosPerRequest / p.Baseline.ServerMicrosPerRequest).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RATIO {workload} {sockets}x{depth}: {label} req/s per pair [{List(ratios)}] median {Median(ratios):0.000}; p99 {label} median {Median(p99):0.00}; " +
            $"server CPU per request {label} per pair [{List(cpu)}] median {Median(cpu):0.000}"));
    }

    private static string List(List<double> values) => string.Join(", ", values.Select(r => r.ToString("0.000", CultureInfo.InvariantCulture)));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
