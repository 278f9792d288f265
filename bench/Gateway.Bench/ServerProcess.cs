using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Gateway.Bench;

/// <summary>A server under test in its own process: the gateway (Gateway.dll), the baseline (this program, serve-baseline) or the SignalR hub (serve-signalr).</summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-password";

    private readonly Process _process;
    private readonly DirectoryInfo? _dataDir;

    private ServerProcess(Process process, Uri url, DirectoryInfo? dataDir)
    {
        _process = process;
        Url = url;
        _dataDir = dataDir;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Resident set size of the server, from /proc.</summary>
    public long RssBytes
    {
        get
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
    }

    public static Task<ServerProcess> StartBaselineAsync() =>
        StartAsync([typeof(ServerProcess).Assembly.Location, "--mode", "serve-baseline"], null, new Dictionary<string, string>());

    public static Task<ServerProcess> StartSignalRAsync() =>
        StartAsync([typeof(ServerProcess).Assembly.Location, "--mode", "serve-signalr"], null, new Dictionary<string, string>(), SignalRServer.Path);

    /// <summary>The gateway with a fresh database, its normal configuration and the bench's extra settings.</summary>
    public static Task<ServerProcess> StartGatewayAsync(IEnumerable<string> settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("gateway-bench-");
        List<string> args = [GatewayDll(), "--urls=http://127.0.0.1:0", $"--Gateway:DatabasePath={Path.Combine(dataDir.FullName, "gateway.db")}",
            "--NLog:rules:3:minLevel=Warn", .. settings.Select(s => "--" + s)];
        return StartAsync(args, dataDir, new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = AdminPassword });
    }

    private static async Task<ServerProcess> StartAsync(IReadOnlyList<string> args, DirectoryInfo? dataDir, Dictionary<string, string> environment, string path = "/WSGateway")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is not null && Listening().Match(line) is { Success: true } match)
                listening.TrySetResult(new Uri($"ws://{new Uri(match.Groups[1].Value).Authority}{path}"));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return new ServerProcess(process, url, dataDir);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _dataDir?.Delete(recursive: true);
    }

    // bench/Gateway.Bench/bin/<Configuration>/<tfm>/ → Gateway/bin/<Configuration>/<tfm>/Gateway.dll, built by the project reference.
    private static string GatewayDll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Gateway", "bin", configuration, framework, "Gateway.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"Gateway.dll was not built for {configuration}/{framework}");
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
