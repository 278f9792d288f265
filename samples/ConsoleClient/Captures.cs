using System.Text.Json;

namespace ConsoleClient;

/// <summary>Stores reply values named by <c>-> VAR=Key</c> (a dotted path, e.g. <c>User.UserId</c>) for later <c>${VAR}</c>.</summary>
internal static class Captures
{
    public static void Apply(ScriptLine line, JsonElement payload, IDictionary<string, string> variables)
    {
        foreach (var (variable, path) in line.Captures)
        {
            var value = payload;
            foreach (var key in path.Split('.'))
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(key, out value))
                    throw new FormatException($"the reply of {line.Function} has no {path} to capture into {variable}");
            }
            variables[variable] = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
        }
    }
}
