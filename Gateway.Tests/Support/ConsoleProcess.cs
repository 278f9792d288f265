using System.Diagnostics;

namespace Gateway.Tests.Support;

/// <summary>What a finished console-client process printed, and its exit code.</summary>
public sealed record ConsoleResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the sample console client (<c>ConsoleClient.dll</c> from the test's output folder) as a process.</summary>
public static class ConsoleProcess
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // The client's own output folder (its deps.json needs its own dependencies beside it): samples/ConsoleClient/bin/<Configuration>/<tfm>,
    // with the configuration and framework of this test build.
    private static readonly string ClientPath = FindClient();

    public static async Task<ConsoleResult> RunAsync(TestHost host, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? stdin = null)
    {
        using var process = Start(host, args, environment);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        return await FinishAsync(process, stdout, stderr);
    }

    /// <summary>Waits for the process to exit, within the deadline, and collects what it printed.</summary>
    public static async Task<ConsoleResult> FinishAsync(Process process, Task<string> stdout, Task<string> stderr)
    {
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the console client did not exit within {Deadline}");
        }
        return new ConsoleResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the client with its standard streams redirected; the caller reads and writes them.</summary>
    public static Process Start(TestHost host, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ClientPath);
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(host.WsUri.ToString());
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var name in new[] { "GATEWAY_USER", "GATEWAY_PASSWORD", "GATEWAY_URL" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;

        return Process.Start(start) ?? throw new InvalidOperationException("could not start the console client");
    }

    /// <summary>The environment that logs the client in as the bootstrap operator.</summary>
    public static Dictionary<string, string> AsAdmin(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["GATEWAY_USER"] = "admin", ["GATEWAY_PASSWORD"] = TestHost.AdminPassword };
        foreach (var (name, value) in more)
            environment[name] = value;
        return environment;
    }

    private static string FindClient()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Repository.File("samples", "ConsoleClient", "bin", output.Parent!.Name, output.Name, "ConsoleClient.dll");
    }
}
