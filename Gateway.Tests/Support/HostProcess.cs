using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>The gateway as a child process, for signals, crashes and restarts.</summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process) => _process = process;

    public Uri HttpUri { get; private set; } = null!;
    public Uri WsUri => new($"ws://{HttpUri.Authority}/WSGateway");
    public int Id => _process.Id;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>Starts <c>Gateway.dll</c> from the test's output folder with <paramref name="args"/>, in <paramref name="workingDirectory"/>.</summary>
    public static async Task<HostProcess> StartAsync(string workingDirectory, IDictionary<string, string>? environment = null, params string[] args)
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
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;

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

    /// <summary>Sends a POSIX signal to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end and returns its exit code; throws when the deadline passes first.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan deadline)
    {
        using var cts = new CancellationTokenSource(deadline);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        var match = ListeningLine().Match(line);
        if (match.Success)
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
