using System.Text.RegularExpressions;

namespace ConsoleClient;

/// <summary>
/// One line of an operator script or the prompt: <c>Function {json} [-> VAR=Key ...]</c>. <c>${VAR}</c> is replaced by
/// the environment variable or a value captured earlier, as it is (quote it inside JSON strings).
/// </summary>
internal sealed partial record ScriptLine(string Function, string Payload, IReadOnlyList<(string Variable, string Path)> Captures)
{
    /// <summary>Parses a line after expanding variables; null for a blank line or a comment.</summary>
    public static ScriptLine? Parse(string text, IReadOnlyDictionary<string, string> variables)
    {
        var line = text.Trim();
        if (IsBlankOrComment(line))
            return null;
        line = Variable().Replace(line, match => variables.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : Environment.GetEnvironmentVariable(match.Groups[1].Value) ?? throw new FormatException($"${{{match.Groups[1].Value}}} is not set"));

        var (call, captures) = SplitCaptures(line);
        var space = call.IndexOfAny([' ', '\t']);
        var function = space < 0 ? call : call[..space];
        var payload = space < 0 ? "{}" : call[(space + 1)..].Trim();
        return new ScriptLine(function, payload.Length == 0 ? "{}" : payload, captures);
    }

    /// <summary>
    /// The variables a line uses (<c>${VAR}</c>) and those it captures (<c>-> VAR=Key</c>), read before any is
    /// expanded; none for a blank line or a comment. A malformed capture throws <see cref="FormatException"/>.
    /// </summary>
    public static (IReadOnlyList<string> Uses, IReadOnlyList<string> Captures) Variables(string text)
    {
        var line = text.Trim();
        if (IsBlankOrComment(line))
            return ([], []);
        return (Variable().Matches(line).Select(m => m.Groups[1].Value).ToList(), SplitCaptures(line).Captures.Select(c => c.Variable).ToList());
    }

    private static bool IsBlankOrComment(string line) => line.Length == 0 || line.StartsWith('#');

    private static (string Call, List<(string Variable, string Path)> Captures) SplitCaptures(string line)
    {
        var captures = new List<(string, string)>();
        var arrow = line.LastIndexOf(" -> ", StringComparison.Ordinal);
        if (arrow < 0)
            return (line, captures);
        foreach (var capture in line[(arrow + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = capture.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new FormatException($"'{capture}' after -> must be VAR=Key");
            captures.Add((parts[0], parts[1]));
        }
        return (line[..arrow].TrimEnd(), captures);
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
