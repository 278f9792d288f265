using System.Diagnostics;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// The README's deployment: the gateway published once for the fixture with <c>dotnet publish Gateway -c Release</c>,
/// then started with <c>dotnet Gateway.dll</c> from another working directory. The publish folder never receives data,
/// so a redeploy over it cannot touch the database or the key.
/// </summary>
[TestFixture]
public sealed class PublishedGatewayTests
{
    private static readonly Dictionary<string, string> AdminPassword = new() { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword };

    private DirectoryInfo _publish = null!;

    [OneTimeSetUp]
    public async Task Publish()
    {
        _publish = Directory.CreateTempSubdirectory("gateway-publish-");
        var watch = Stopwatch.StartNew();
        await Publisher.PublishAsync(_publish.FullName);
        await TestContext.Progress.WriteLineAsync($"dotnet publish Gateway -c Release took {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public void DeletePublishFolder() => _publish.Delete(recursive: true);

    [Test]
    public async Task Published_StartedElsewhereWithAnAbsoluteDatabasePath_AnswersPingAndWritesOnlyThere()
    {
        var work = Directory.CreateTempSubdirectory("gateway-cwd-");
        var data = Directory.CreateTempSubdirectory("gateway-data-");
        try
        {
            await RunAndStopAsync(work, $"--Gateway:DatabasePath={Path.Combine(data.FullName, "gateway.db")}");

            Assert.That(Path.Combine(data.FullName, "gateway.db"), Does.Exist);
            Assert.That(Path.Combine(data.FullName, "gateway.key"), Does.Exist);
            Assert.That(work.EnumerateFileSystemInfos().Select(f => f.Name), Is.Empty, "nothing is written to the working directory");
            AssertHoldsNoData(_publish);
        }
        finally
        {
            work.Delete(recursive: true);
            data.Delete(recursive: true);
        }
    }

    [Test]
    public async Task Published_StartedElsewhereWithTheDefaultDatabasePath_KeepsItsDataInTheWorkingDirectory()
    {
        var work = Directory.CreateTempSubdirectory("gateway-cwd-");
        try
        {
            await RunAndStopAsync(work);

            Assert.That(Path.Combine(work.FullName, "data", "gateway.db"), Does.Exist);
            Assert.That(Path.Combine(work.FullName, "data", "gateway.key"), Does.Exist);
            AssertHoldsNoData(_publish);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    // Starts the published gateway in the working directory, checks it answers Ping over a WebSocket, and stops it as
    // systemd would (SIGTERM), expecting exit code 0.
    private async Task RunAndStopAsync(DirectoryInfo workingDirectory, params string[] settings)
    {
        await using var host = await HostProcess.StartPublishedAsync(_publish.FullName, workingDirectory.FullName, AdminPassword, settings);
        using (var client = await TestClient.ConnectAsync(host.WsUri))
            Assert.That((await client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"), host.Output);
        host.Signal(HostProcess.SigTerm);
        Assert.That(await host.WaitForExitAsync(TimeSpan.FromSeconds(10)), Is.Zero, host.Output);
    }

    private static void AssertHoldsNoData(DirectoryInfo publish)
    {
        var data = publish.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Name.Contains(".db", StringComparison.OrdinalIgnoreCase) || f.Name == "gateway.key")
            .Select(f => Path.GetRelativePath(publish.FullName, f.FullName));
        Assert.That(data, Is.Empty, "the publish folder holds data");
        Assert.That(Path.Combine(publish.FullName, "data"), Does.Not.Exist);
    }
}
