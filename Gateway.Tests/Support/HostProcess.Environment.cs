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
        var host = Launch(workingDirectory, unset, environment, args);
        if (!await host.ListensAsync())
            throw new InvalidOperationException($"the gateway exited with {host._process.ExitCode} before listening:\n{host.Output}");
        return host;
    }

    /// <summary>
    /// Starts the gateway as <see cref="StartAsync"/> does, but a process that exits before listening is an outcome,
    /// not a failure: <see cref="StartOutcome.ExitCode"/> is set and <see cref="StartOutcome.Host"/> is null.
    /// </summary>
    public static async Task<StartOutcome> StartOrExitAsync(string workingDirectory, IDictionary<string, string>? environment, params string[] args)
    {
        var host = Launch(workingDirectory, [], environment, args);
        if (await host.ListensAsync())
            return new StartOutcome(host, null, host.Output);
        var output = host.Output;
        var exitCode = host._process.ExitCode;
        await host.DisposeAsync();
        return new StartOutcome(null, exitCode, output);
    }

    private static HostProcess Launch(string workingDirectory, IEnumerable<string> unset, IDictionary<string, string>? environment, string[] args)
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
        // The provider's settings come first, so a test's own arguments still win; a test that names a provider keeps it alone.
        foreach (var setting in TestProvider.SettingsFor(workingDirectory, args))
            start.ArgumentList.Add(setting);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        if (!args.Any(a => a.StartsWith("--Gateway:DatabasePath", StringComparison.OrdinalIgnoreCase)))
            start.ArgumentList.Add($"--Gateway:DatabasePath={Path.Combine(workingDirectory, "gateway.db")}");
        foreach (var name in unset)
            start.Environment.Remove(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("the gateway process did not start"));
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    // True once the listening line is seen; false when the process ends first (its output then read to the end).
    private async Task<bool> ListensAsync()
    {
        var exited = _process.WaitForExitAsync();
        Task first;
        try
        {
            first = await Task.WhenAny(_listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw;
        }
        if (first == exited)
            return false;
        HttpUri = await _listening.Task;
        return true;
    }
}

/// <summary>How a start ended: a listening <see cref="Host"/>, or an <see cref="ExitCode"/> with what was printed.</summary>
public sealed record StartOutcome(HostProcess? Host, int? ExitCode, string Output);
