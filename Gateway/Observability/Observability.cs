using Gateway.Core.Sessions;
using Gateway.Core.Telemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Observability;

/// <summary>
/// Wires what operators watch: the remote address behind listed proxies, and <c>GET /metrics</c> (Prometheus text,
/// from OpenTelemetry) over the <see cref="GatewayMetrics.MeterName"/> meter and ASP.NET's own meters.
/// </summary>
internal static class Observability
{
    public const string MetricsEnabledSetting = "Gateway:Metrics:Enabled";
    public const string MetricsPath = "/metrics";

    // ASP.NET's own meters exported beside the gateway's: request durations and Kestrel's connections.
    private static readonly string[] AspNetMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    /// <summary>Registers the services; <c>Gateway:Network:KnownProxies</c> is checked here, before anything listens.</summary>
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.Configure(ForwardedAddresses.Read(builder.Configuration));
        builder.Services.AddSingleton<SocketTelemetry>();
        if (MetricsEnabled(builder.Configuration))
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName)
                .AddMeter(AspNetMeters)
                // Each scrape reads the instruments afresh, so what a test (or an operator) just did is in it.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        }
    }

    /// <summary>Adds the middleware and the endpoint; call before any other middleware, so every address is the client's.</summary>
    public static void UseObservability(this WebApplication app)
    {
        app.UseForwardedHeaders();
        var telemetry = app.Services.GetRequiredService<SocketTelemetry>();
        var sessions = app.Services.GetRequiredService<SessionManager>();
        app.Services.GetRequiredService<GatewayMetrics>().ObserveGauges(() => sessions.LiveCount, telemetry.QueuedReplies);
        if (MetricsEnabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    private static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue(MetricsEnabledSetting, defaultValue: true);
}
