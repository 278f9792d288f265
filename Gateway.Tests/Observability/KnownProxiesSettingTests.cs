using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Observability;

/// <summary><c>Gateway:Network:KnownProxies</c> takes addresses and CIDR networks, and names a malformed entry.</summary>
[TestFixture]
public sealed class KnownProxiesSettingTests
{
    private static readonly string[] Proxies = ["10.0.0.5", "::1"];
    private static readonly string[] Networks = ["10.1.0.0/16"];

    [Test]
    public void Read_AddressesAndNetworks_FillTheListsAndClearLoopback()
    {
        var options = new ForwardedHeadersOptions();
        ForwardedAddresses.Read(Configuration("10.0.0.5", "::1", "10.1.0.0/16"))(options);

        Assert.That(options.KnownProxies.Select(a => a.ToString()), Is.EquivalentTo(Proxies));
        Assert.That(options.KnownIPNetworks.Select(n => n.ToString()), Is.EqualTo(Networks));
    }

    [Test]
    public void Read_NoSetting_TrustsNoOneNotEvenLoopback()
    {
        var options = new ForwardedHeadersOptions();
        ForwardedAddresses.Read(Configuration())(options);

        Assert.That(options.KnownProxies, Is.Empty);
        Assert.That(options.KnownIPNetworks, Is.Empty);
    }

    [TestCase("proxy.example.com")]
    [TestCase("10.0.0.0/33")]
    [TestCase("10.0.0.300")]
    public void Read_MalformedEntry_ThrowsNamingKeyValueAndRule(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ForwardedAddresses.Read(Configuration("10.0.0.5", value)));
        Assert.That(error!.Message, Is.EqualTo(
            $"Gateway:Network:KnownProxies:1 is '{value}'; it must be an IP address (10.0.0.5, ::1) or a network in CIDR form (10.0.0.0/8)"));
    }

    private static IConfiguration Configuration(params string[] entries) => new ConfigurationBuilder()
        .AddInMemoryCollection(entries.Select((e, k) => new KeyValuePair<string, string?>($"Gateway:Network:KnownProxies:{k}", e)))
        .Build();
}
