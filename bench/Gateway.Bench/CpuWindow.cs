using System.Diagnostics;
using System.Globalization;

namespace Gateway.Bench;

/// <summary>The measured window of a run, and the CPU the server and this load generator spent in it.</summary>
internal sealed class CpuWindow(long from, long to)
{
    public long From { get; } = from;

    public long To { get; } = to;

    public static CpuWindow Starting(double warmup, double seconds)
    {
        var start = Stopwatch.GetTimestamp();
        return new CpuWindow(start + (long)(warmup * Stopwatch.Frequency), start + (long)((warmup + seconds) * Stopwatch.Frequency));
    }

    public bool Contains(long timestamp) => timestamp >= From && timestamp < To;

    /// <summary>
    /// CPU seconds (user + system) of the server processes <paramref name="serverPids"/> together (NaN when there are
    /// none: a gateway not started by the bench) and of this process between From and To.
    /// </summary>
    public async Task<(double Server, double Client)> MeasureAsync(IReadOnlyList<int> serverPids, CancellationToken ct)
    {
        await Task.Delay(Remaining(From), ct);
        var (server0, client0) = (ServerSeconds(serverPids), ClientSeconds());
        await Task.Delay(Remaining(To), ct);
        return (ServerSeconds(serverPids) - server0, ClientSeconds() - client0);
    }

    private static TimeSpan Remaining(long until) =>
        TimeSpan.FromSeconds(Math.Max(0, (until - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency));

    private static double ClientSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks of 1/100 s; the name in field 2 may hold spaces.
    private static double ServerSeconds(IReadOnlyList<int> pids) => pids.Count == 0 ? double.NaN : pids.Sum(ServerSeconds);

    private static double ServerSeconds(int id)
    {
        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
