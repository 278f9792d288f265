using System.Globalization;

namespace Gateway.Bench;

/// <summary>
/// The group commits a run's gateways made, from their <c>/metrics</c> (gateway.db.commit.duration and
/// gateway.db.commit.writes): how many writes each commit carried and how long one took, BEGIN to COMMIT. Counted
/// over the whole run (setup and warm-up included), which the measured window's writes dominate.
/// </summary>
internal static class CommitMetrics
{
    public static async Task<string?> DescribeAsync(IEnumerable<Uri> gateways, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        double commits = 0, seconds = 0, writes = 0;
        foreach (var gateway in gateways)
        {
            var text = await http.GetStringAsync(new Uri($"http://{gateway.Authority}/metrics"), ct);
            foreach (var line in text.Split('\n'))
            {
                // Prometheus names: gateway_db_commit_duration_seconds_{sum,count}, gateway_db_commit_writes(_write)?_sum.
                if (!line.StartsWith("gateway_db_commit_", StringComparison.Ordinal))
                    continue;
                // name{labels} value [timestamp]: the labels (the meter's scope) may hold spaces.
                var name = line[..line.IndexOfAny(['{', ' '])];
                var rest = line.Contains('}', StringComparison.Ordinal) ? line[(line.LastIndexOf('}') + 1)..] : line[name.Length..];
                var number = double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                if (name.StartsWith("gateway_db_commit_duration", StringComparison.Ordinal) && name.EndsWith("_sum", StringComparison.Ordinal))
                    seconds += number;
                else if (name.StartsWith("gateway_db_commit_duration", StringComparison.Ordinal) && name.EndsWith("_count", StringComparison.Ordinal))
                    commits += number;
                else if (name.StartsWith("gateway_db_commit_writes", StringComparison.Ordinal) && name.EndsWith("_sum", StringComparison.Ordinal))
                    writes += number;
            }
        }
        return commits == 0 ? null : string.Create(CultureInfo.InvariantCulture,
            $"COMMITS whole run: {commits:0} group commits carrying {writes:0} writes ({writes / commits:0.0} per commit), {seconds / commits * 1000:0.000} ms per commit BEGIN to COMMIT");
    }
}
