using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

/// <summary>The sample systemd unit keeps the promises the README makes for it.</summary>
[TestFixture]
public sealed class DeploySampleTests
{
    [Test]
    public void SystemdUnit_Sample_KeepsDataOutsideThePublishFolderRestartsOnFailureAndStopsWithSigterm()
    {
        var settings = File.ReadAllLines(Repository.File("samples", "deploy", "exchange-gateway.service"))
            .Where(line => line.Contains('=', StringComparison.Ordinal) && !line.TrimStart().StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToLookup(pair => pair[0].Trim(), pair => pair[1].Trim());

        var database = settings["Environment"].Single(e => e.StartsWith("Gateway__DatabasePath=", StringComparison.Ordinal))["Gateway__DatabasePath=".Length..];
        var gatewayDll = settings["ExecStart"].Single().Split(' ').Last();
        Assert.Multiple(() =>
        {
            Assert.That(database, Is.EqualTo("/var/lib/exchange-gateway/gateway.db"));
            Assert.That(gatewayDll, Does.EndWith("/Gateway.dll").And.Not.StartWith("/var/lib/exchange-gateway"));
            Assert.That(settings["StateDirectory"].Single(), Is.EqualTo("exchange-gateway"));
            Assert.That(settings["User"].Single(), Is.EqualTo("exchange-gateway"));
            Assert.That(settings["Restart"].Single(), Is.EqualTo("on-failure"));
            Assert.That(settings["KillSignal"].Single(), Is.EqualTo("SIGTERM"));
            Assert.That(int.Parse(settings["TimeoutStopSec"].Single(), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(10),
                "the gateway may take 10 s to stop");
        });
    }
}
