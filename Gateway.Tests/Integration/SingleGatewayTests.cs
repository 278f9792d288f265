using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>One gateway per SQLite file: a second process on the same file refuses to start, whenever it comes.</summary>
[TestFixture]
public sealed class SingleGatewayTests
{
    private static readonly Dictionary<string, string> AdminPassword = new() { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword };

    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("gateway-single-");

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    [Test]
    [CancelAfter(180_000)]
    public async Task Start_DatabaseOfARunningGateway_RefusedWhileItRunsAndStartsOnceItIsKilled()
    {
        var database = Path.Combine(_dir.FullName, "gateway.db");
        await using var first = await HostProcess.StartAsync(_dir.FullName, AdminPassword);

        var second = await GatewayCommand.RunAsync(_dir.FullName, ["--urls=http://127.0.0.1:0", $"--Gateway:DatabasePath={database}"], AdminPassword);

        Assert.That(second.ExitCode, Is.EqualTo(1), second.ToString());
        Assert.That(second.ErrorLines, Is.EqualTo(new[] { $"database {database} is in use by another gateway (pid {first.Id})" }), second.ToString());
        Assert.That(second.HasStackTrace, Is.False, second.ToString());
        using (var client = await TestClient.ConnectAsync(first.WsUri))
            Assert.That((await client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"), "the first gateway stopped serving");

        first.Signal(HostProcess.SigKill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));

        await using var third = await HostProcess.StartAsync(_dir.FullName, AdminPassword);
        using var admin = await TestClient.ConnectAsync(third.WsUri);
        await admin.LoginAsync("admin", TestHost.AdminPassword);
    }

    // 20 trials, the second process started 0, 5, ..., 95 ms after the first; each trial ends when the loser has exited
    // and the winner listens, then the winner is killed.
    [Test]
    [CancelAfter(300_000)]
    public async Task Start_TwoAtOnceOnAnEmptyFolder_ExactlyOneRuns()
    {
        for (var trial = 0; trial < 20; trial++)
        {
            var folder = _dir.CreateSubdirectory($"trial-{trial}").FullName;
            var database = Path.Combine(folder, "gateway.db");
            var first = HostProcess.StartOrExitAsync(folder, AdminPassword);
            // The stagger between the two starts is what the trial varies, not a wait for something to happen.
            await Task.Delay(TimeSpan.FromMilliseconds(trial * 5));
            Task<StartOutcome>[] starts = [first, HostProcess.StartOrExitAsync(folder, AdminPassword)];
            try
            {
                var outcomes = await Task.WhenAll(starts);
                var running = outcomes.Where(o => o.Host is not null).ToList();
                var refused = outcomes.Where(o => o.Host is null).ToList();
                Assert.That(running, Has.Count.EqualTo(1), $"trial {trial}: {running.Count} gateways run\n{string.Join("\n---\n", outcomes.Select(o => o.Output))}");
                Assert.That(refused[0].ExitCode, Is.EqualTo(1), refused[0].Output);
                Assert.That(refused[0].Output, Does.Contain($"database {database} is in use by another gateway (pid {running[0].Host!.Id})"), $"trial {trial}");
            }
            finally
            {
                // Every start has ended here (WhenAll waits for both); whichever listens is killed.
                foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
                {
                    if ((await start).Host is { } host)
                        await host.DisposeAsync();
                }
            }
        }
    }
}
