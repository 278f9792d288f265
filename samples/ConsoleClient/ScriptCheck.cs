namespace ConsoleClient;

/// <summary>
/// Checks a whole script before anything is sent: every <c>${VAR}</c> is an environment variable or captured by an
/// earlier line, and every capture reads <c>VAR=Key</c>. A script that would stop halfway for a typo stops here instead.
/// </summary>
internal static class ScriptCheck
{
    /// <summary>The first problem, as <c>line N: ...</c>; null when the script may run.</summary>
    public static string? FirstProblem(IReadOnlyList<string> lines)
    {
        var captured = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < lines.Count; index++)
        {
            try
            {
                var (uses, captures) = ScriptLine.Variables(lines[index]);
                if (uses.FirstOrDefault(v => !captured.Contains(v) && Environment.GetEnvironmentVariable(v) is null) is { } unset)
                    return $"line {index + 1}: ${{{unset}}} is not set (not in the environment, not captured by an earlier line)";
                captured.UnionWith(captures);
            }
            catch (FormatException e)
            {
                return $"line {index + 1}: {e.Message}";
            }
        }
        return null;
    }
}
