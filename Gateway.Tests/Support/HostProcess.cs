using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Support;

/// <summary>The gateway as a child process, for signals, crashes and restarts.</summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    public const int SigInt = PosixSignals.SigInt;
    public const int SigKill = PosixSignals.SigKill;
    public const int SigTerm = PosixSignals.SigTerm;

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

    /// <summary>
    /// Starts <c>Gateway.dll</c> from the test's output folder with <paramref name="args"/>, in <paramref name="workingDirectory"/>;
    /// unless the arguments name one, the database is <c>gateway.db</c> in that folder.
    /// </summary>
    public static Task<HostProcess> StartAsync(string workingDirectory, IDictionary<string, string>? environment = null, params string[] args) =>
        StartWithoutAsync(workingDirectory, [], environment, args);

    /// <summary>Sends a POSIX signal to the process.</summary>
    public void Signal(int signal) => PosixSignals.Send(_process.Id, signal);

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

    // Stops at a quote too, so the address is found in a JSON log line as well as in a text one.
    [GeneratedRegex(@"Now listening on: (http://[^\s""]+)")]
    private static partial Regex ListeningLine();
}
