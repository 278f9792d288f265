using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>Reads samples out of a Prometheus text exposition, as a scraper would.</summary>
public static partial class PrometheusText
{
    /// <summary>
    /// The value of the one sample of <paramref name="metric"/> whose labels include <paramref name="labels"/>
    /// (<c>"key=value"</c> each); null when there is none; fails when several match.
    /// </summary>
    public static double? Value(string exposition, string metric, params string[] labels)
    {
        var matches = Samples(exposition)
            .Where(s => s.Name == metric && labels.All(l => s.Labels.Contains(l)))
            .ToList();
        Assert.That(matches, Has.Count.LessThanOrEqualTo(1), $"several samples of {metric} match {string.Join(", ", labels)}");
        return matches.Count == 0 ? null : matches[0].Value;
    }

    /// <summary>Every sample: its name, its labels as <c>"key=value"</c>, and its value.</summary>
    public static IEnumerable<(string Name, HashSet<string> Labels, double Value)> Samples(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success)
                continue;
            var labels = LabelPair().Matches(match.Groups["labels"].Value).Select(m => $"{m.Groups[1].Value}={m.Groups[2].Value}").ToHashSet();
            yield return (match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
