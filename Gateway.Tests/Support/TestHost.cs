using Gateway.Core.Dispatch;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Support;

/// <summary>The real gateway host, in process, on 127.0.0.1 with a port the OS picks and a temp data folder.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, Uri http, DirectoryInfo dataDir)
    {
        App = app;
        HttpUri = http;
        WsUri = new Uri($"ws://{http.Authority}/WSGateway");
        DataDir = dataDir;
    }

    private bool _stopped;
    private bool _ownsDataDir = true;

    public const string AdminPassword = "admin-password-for-tests";

    private static readonly string[] SharedHostLimits =
    [
        "--Gateway:Limits:FailedLoginsPerAddressPerMinute=1000000", "--Gateway:Limits:MaxSocketsPerUser=1000000",
        "--Gateway:Limits:LoginsPerAddressPerMinute=1000000", "--Gateway:Limits:LoginsPerUserPerMinute=1000000",
        "--Gateway:Limits:MaxSessionsPerUser=1000000",
    ];

    public WebApplication App { get; }
    public Uri HttpUri { get; }
    public Uri WsUri { get; }
    public DirectoryInfo DataDir { get; }

    /// <summary>Starts a host; <paramref name="settings"/> are extra <c>--Key=Value</c> arguments.</summary>
    public static Task<TestHost> StartAsync(params string[] settings) => StartAsync(configureServices: null, settings);

    /// <summary>Starts a host whose services <paramref name="configureServices"/> may replace (a clock, say).</summary>
    public static Task<TestHost> StartAsync(Action<IServiceCollection>? configureServices, params string[] settings) =>
        StartInAsync(Directory.CreateTempSubdirectory("gateway-test-"), configureServices, settings);

    /// <summary>Stops this host and keeps its data folder, so a test can work on the database with the host down; <see cref="RestartAsync"/> starts it again.</summary>
    public Task StopAsync() => StopAppAsync();

    /// <summary>Stops this host (unless stopped already), keeping its data folder, and starts a new one on the same database (on a new port).</summary>
    public async Task<TestHost> RestartAsync(params string[] settings)
    {
        await StopAppAsync();
        _ownsDataDir = false;
        return await StartInAsync(DataDir, configureServices: null, settings);
    }

    private static async Task<TestHost> StartInAsync(DirectoryInfo dataDir, Action<IServiceCollection>? configureServices, string[] settings)
    {
        // Every test client comes from 127.0.0.1 and most log in as admin, on hosts that whole fixtures share: the
        // per-address and per-user limits (sockets, logins, sessions) are lifted unless a test sets them (a later setting wins).
        string[] args = ["--urls=http://127.0.0.1:0", $"--Gateway:DatabasePath={Path.Combine(dataDir.FullName, "gateway.db")}",
            $"--GATEWAY_ADMIN_PASSWORD={AdminPassword}", .. SharedHostLimits, .. TestProvider.Settings(dataDir), .. settings];
        // Every host logs into the one process-wide capture too, so tests can assert what was (never) logged.
        var app = await GatewayApp.BuildAsync(args, TestHandlers.AddTo, services =>
        {
            services.AddSingleton<ILoggerProvider>(LogCapture.Provider);
            configureServices?.Invoke(services);
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new TestHost(app, new Uri(app.Urls.First()), dataDir);
    }

    public Task<TestClient> ConnectAsync(string path = "/WSGateway") =>
        TestClient.ConnectAsync(new Uri($"ws://{HttpUri.Authority}{path}"));

    public async ValueTask DisposeAsync()
    {
        await StopAppAsync();
        if (!_ownsDataDir)
            return;
        await TestProvider.ReleaseAsync(DataDir);
        try
        {
            DataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp cleaner rather than failing the test.
        }
    }

    private async Task StopAppAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
