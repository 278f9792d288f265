using System.Diagnostics;

namespace Gateway.Tests.Support;

public sealed partial class HostProcess
{
    /// <summary>
    /// Like <see cref="StartAsync"/>, but the child does not inherit the variables named in <paramref name="unset"/>
    /// from the test process, so a setting can be truly absent rather than empty.
    /// </summary>
    public static async Task<HostProcess> StartWithoutAsync(string workingDirectory, IEnumerable<string> unset, IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        if (!args.Any(a => a.StartsWith("--Gateway:DatabasePath", StringComparison.OrdinalIgnoreCase)))
            start.ArgumentList.Add($"--Gateway:DatabasePath={Path.Combine(workingDirectory, "gateway.db")}");
        foreach (var name in unset)
            start.Environment.Remove(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        return await LaunchAsync(start);
    }
}
