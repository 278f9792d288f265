using System.Diagnostics;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>Runs the README's publish recipe, <c>dotnet publish Gateway -c Release -o &lt;folder&gt;</c>, as a process.</summary>
public static class Publisher
{
    /// <summary>A cold Release build on a busy two-core machine takes about a minute; this bounds a stuck one.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(6);

    /// <summary>Publishes the gateway into <paramref name="folder"/>; throws with the build's output when it fails or overruns.</summary>
    public static async Task PublishAsync(string folder)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // No build servers, so nothing the publish starts outlives it.
        foreach (var arg in new[] { "publish", "Gateway", "-c", "Release", "-o", folder, "--disable-build-servers", "-nologo" })
            start.ArgumentList.Add(arg);
        // dotnet test hands its MSBuild settings down to the test host; a nested build must find its own.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"dotnet publish did not finish within {Deadline}:\n{Text(output)}");
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet publish exited with {process.ExitCode}:\n{Text(output)}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
            return;
        lock (output)
            output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }
}
