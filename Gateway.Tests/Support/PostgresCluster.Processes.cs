using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Gateway.Tests.Support;

public sealed partial class PostgresCluster
{
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);

    // A server tool, run as the cluster's owner when this process is root (runuser keeps the environment and the arguments as they are).
    private static string[] Command(string binaries, string? runAs, string tool) =>
        runAs is null ? [Path.Combine(binaries, tool)] : ["runuser", "-u", runAs, "--", Path.Combine(binaries, tool)];

    /// <summary>Runs <paramref name="command"/> with <paramref name="args"/>; throws with its output when it fails or overruns its deadline.</summary>
    private static async Task RunAsync(string[] command, string[] args, string? workingDirectory = null, bool throwOnFailure = true)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The cluster's owner must be able to enter it (root's working folder is usually closed to it).
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in command.Skip(1).Concat(args))
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command[0]} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(CommandDeadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{string.Join(' ', start.ArgumentList.Prepend(command[0]))} did not finish within {CommandDeadline}");
        }
        if (process.ExitCode != 0 && throwOnFailure)
            throw new InvalidOperationException(
                $"{string.Join(' ', start.ArgumentList.Prepend(command[0]))} exited with {process.ExitCode}:\n{await stdout}{await stderr}");
    }

    /// <summary>
    /// Starts a shell, outside this process's tree (so killing the tree spares it) and in a session of its own (so a
    /// Ctrl+C spares it), that waits for this process to end and then stops the server and deletes the folder: the
    /// cleanup that still happens when the test process is killed or the run is cancelled.
    /// </summary>
    private static int StartWatchdog(string binaries, string? runAs, string folder)
    {
        var stop = string.Join(' ', Command(binaries, runAs, "pg_ctl").Concat(["stop", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w"]).Select(ShellQuote));
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done\n" +
            $"if [ -f {ShellQuote(Path.Combine(folder, "data", "postmaster.pid"))} ]; then {stop}; fi\n" +
            $"rm -rf {ShellQuote(folder)}\n";
        // The outer shell starts the watchdog in the background, prints its process id and exits: the watchdog is then
        // init's child, not ours. A background job of a non-interactive shell leads no process group, so setsid keeps its pid.
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var arg in new[] { "-c", "setsid sh -c \"$1\" </dev/null >/dev/null 2>&1 & echo $!", "sh", script })
            start.ArgumentList.Add(arg);
        using var launcher = Process.Start(start) ?? throw new InvalidOperationException("the watchdog shell did not start");
        var pid = launcher.StandardOutput.ReadLine();
        if (!launcher.WaitForExit(CommandDeadline) || !int.TryParse(pid, out var watchdog))
            throw new InvalidOperationException($"the watchdog shell did not report its process id (got '{pid}')");
        return watchdog;
    }

    // Ends the watchdog and the sleep it may be in: setsid made it the leader of its own process group.
    private static void StopWatchdog(int pid) => _ = KillCall(-pid, 9);

    private static string ShellQuote(string value) => $"'{value.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    private static readonly string[] OwnerCandidates = ["postgres", "nobody"];

    // The first of postgres (the packages' own server user) or nobody that exists on this machine.
    private static string UnprivilegedUser()
    {
        var users = File.ReadLines("/etc/passwd").Select(line => line.Split(':')[0]).ToHashSet();
        return OwnerCandidates.FirstOrDefault(users.Contains)
            ?? throw new InvalidOperationException("running as root, and neither a postgres nor a nobody user exists to own the cluster");
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillCall(int pid, int signal);
}
