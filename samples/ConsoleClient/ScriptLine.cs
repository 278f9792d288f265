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
        if (line.Length == 0 || line.StartsWith('#'))
            return null;
        line = Variable().Replace(line, match => variables.TryGetValue(match.Groups[1].Value, out var value)
            ? value
            : Environment.GetEnvironmentVariable(match.Groups[1].Value) ?? throw new FormatException($"${{{match.Groups[1].Value}}} is not set"));

        var captures = new List<(string, string)>();
        var arrow = line.LastIndexOf(" -> ", StringComparison.Ordinal);
        if (arrow >= 0)
        {
            foreach (var capture in line[(arrow + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = capture.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                    throw new FormatException($"'{capture}' after -> must be VAR=Key");
                captures.Add((parts[0], parts[1]));
            }
            line = line[..arrow].TrimEnd();
        }

        var space = line.IndexOfAny([' ', '\t']);
        var function = space < 0 ? line : line[..space];
        var payload = space < 0 ? "{}" : line[(space + 1)..].Trim();
        return new ScriptLine(function, payload.Length == 0 ? "{}" : payload, captures);
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
