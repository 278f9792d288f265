using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>What a finished gateway process printed, stdout and stderr apart, and its exit code.</summary>
public sealed partial record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The non-empty lines of stderr.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();

    /// <summary>True when anything printed looks like a .NET stack frame.</summary>
    public bool HasStackTrace => StackFrame().IsMatch(Stdout) || StackFrame().IsMatch(Stderr);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    [GeneratedRegex(@"^\s+at \S+.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();
}

/// <summary>
/// Runs <c>Gateway.dll</c> from the test's output folder to its end: a start expected to fail, or an <c>admin</c>
/// command. Killed at the deadline.
/// </summary>
public static class GatewayCommand
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs the gateway with exactly <paramref name="args"/> (and the storage provider's settings, none for SQLite) in
    /// <paramref name="workingDirectory"/>; <paramref name="stdin"/> is written and closed.
    /// </summary>
    public static async Task<CommandResult> RunAsync(string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // After the arguments, as an admin command's verb must come first; left out when the test names a provider itself.
        foreach (var setting in TestProvider.SettingsFor(workingDirectory, [.. start.ArgumentList.Skip(1)]))
            start.ArgumentList.Add(setting);
        foreach (var name in new[] { "GATEWAY_ADMIN_PASSWORD", "GATEWAY_NEW_PASSWORD" })
            start.Environment.Remove(name);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the gateway process did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
                await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            using var cts = new CancellationTokenSource(Deadline);
            await process.WaitForExitAsync(cts.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs <c>Gateway admin &lt;args&gt;</c> on the database at <paramref name="databasePath"/>.</summary>
    public static Task<CommandResult> AdminAsync(string databasePath, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null) =>
        RunAsync(Path.GetDirectoryName(databasePath)!, ["admin", .. args, $"--Gateway:DatabasePath={databasePath}"], environment, stdin);
}
