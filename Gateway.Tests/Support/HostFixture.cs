using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Support;

/// <summary>One real host for the whole fixture.</summary>
public abstract class HostFixture
{
    protected TestHost Host { get; private set; } = null!;

    /// <summary>Extra <c>--Key=Value</c> settings for this fixture's host.</summary>
    protected virtual string[] Settings => [];

    /// <summary>Replaces services of this fixture's host (a clock, say).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    [OneTimeSetUp]
    public async Task StartHost() => Host = await TestHost.StartAsync(ConfigureServices, Settings);

    [OneTimeTearDown]
    public async Task StopHost() => await Host.DisposeAsync();
}

/// <summary>One real host for the fixture and a fresh socket for each test.</summary>
public abstract class SocketFixture : HostFixture
{
    protected TestClient Client { get; private set; } = null!;

    [SetUp]
    public async Task Connect() => Client = await Host.ConnectAsync();

    [TearDown]
    public void Disconnect() => Client.Dispose();
}
