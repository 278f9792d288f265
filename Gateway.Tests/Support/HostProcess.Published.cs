using System.Diagnostics;

namespace Gateway.Tests.Support;

public sealed partial class HostProcess
{
    /// <summary>
    /// Starts a published <c>Gateway.dll</c> (<c>dotnet &lt;folder&gt;/Gateway.dll</c>) in <paramref name="workingDirectory"/>
    /// with exactly <paramref name="args"/> after <c>--urls=http://127.0.0.1:0</c> and the storage provider's
    /// settings (none for SQLite, see <see cref="TestProvider.Settings"/>): no database path is added.
    /// </summary>
    public static Task<HostProcess> StartPublishedAsync(string publishFolder, string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(publishFolder, "Gateway.dll"));
        start.ArgumentList.Add("--urls=http://127.0.0.1:0");
        // The provider's settings come first, so a test's own arguments still win; a test that names a provider keeps it alone.
        foreach (var setting in TestProvider.SettingsFor(workingDirectory, args))
            start.ArgumentList.Add(setting);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        return LaunchAsync(start);
    }

    /// <summary>Starts the process and waits, within 60 s, until it logs where it listens; throws with its output if it exits first.</summary>
    private static async Task<HostProcess> LaunchAsync(ProcessStartInfo start)
    {
        var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("the gateway process did not start"));
        host._process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        var exited = host._process.WaitForExitAsync();
        var first = await Task.WhenAny(host._listening.Task, exited).WaitAsync(TimeSpan.FromSeconds(60));
        if (first == exited)
            throw new InvalidOperationException($"the gateway exited with {host._process.ExitCode} before listening:\n{host.Output}");
        host.HttpUri = await host._listening.Task;
        return host;
    }
}
