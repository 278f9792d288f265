using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Gateway.Observability;

/// <summary>
/// <c>Gateway:Network:KnownProxies</c>: the peers whose <c>X-Forwarded-For</c> names the client. Each entry is an IP
/// address or a CIDR network; any other peer's header is ignored and the address is the TCP peer's. ASP.NET's
/// default (loopback trusted) is cleared, and with an empty list the middleware is not used at all (it would trust
/// every peer), so an empty list trusts no one.
/// </summary>
internal static class ForwardedAddresses
{
    public const string Setting = "Gateway:Network:KnownProxies";

    /// <summary>
    /// Reads and checks the setting now (a malformed entry throws naming the key, the value and the rule) and returns
    /// what fills ASP.NET's <see cref="ForwardedHeadersOptions"/> with it.
    /// </summary>
    public static Action<ForwardedHeadersOptions> Read(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in configuration.GetSection(Setting).GetChildren())
        {
            var value = entry.Value ?? "";
            if (!value.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(value, out var address))
                proxies.Add(address);
            else if (System.Net.IPNetwork.TryParse(value, out var network))
                networks.Add(network);
            else
                throw new InvalidOperationException(
                    $"{entry.Path} is '{value}'; it must be an IP address (10.0.0.5, ::1) or a network in CIDR form (10.0.0.0/8)");
        }
        return options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // Walks back through every listed proxy of a chain and stops at the first address no listed proxy added.
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                options.KnownProxies.Add(proxy);
            foreach (var network in networks)
                options.KnownIPNetworks.Add(network);
        };
    }
}
