using Gateway.Core.Dispatch;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

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

    public const string AdminPassword = "admin-password-for-tests";

    public WebApplication App { get; }
    public Uri HttpUri { get; }
    public Uri WsUri { get; }
    public DirectoryInfo DataDir { get; }

    /// <summary>Starts a host; <paramref name="settings"/> are extra <c>--Key=Value</c> arguments.</summary>
    public static Task<TestHost> StartAsync(params string[] settings) => StartAsync(configureServices: null, settings);

    /// <summary>Starts a host whose services <paramref name="configureServices"/> may replace (a clock, say).</summary>
    public static async Task<TestHost> StartAsync(Action<IServiceCollection>? configureServices, params string[] settings)
    {
        var dataDir = Directory.CreateTempSubdirectory("gateway-test-");
        string[] args = ["--urls=http://127.0.0.1:0", $"--Gateway:DatabasePath={Path.Combine(dataDir.FullName, "gateway.db")}",
            $"--GATEWAY_ADMIN_PASSWORD={AdminPassword}", .. settings];
        var app = await GatewayApp.BuildAsync(args, TestHandlers.AddTo, configureServices);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new TestHost(app, new Uri(app.Urls.First()), dataDir);
    }

    public Task<TestClient> ConnectAsync(string path = "/WSGateway") =>
        TestClient.ConnectAsync(new Uri($"ws://{HttpUri.Authority}{path}"));

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
            await App.StopAsync(stop.Token);
        await App.DisposeAsync();
        try
        {
            DataDir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS's temp cleaner rather than failing the test.
        }
    }
}
