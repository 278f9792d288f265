using System.Diagnostics.Metrics;
using Gateway.Core.Sessions;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.Options;
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
            // Meters are found by name in the whole process: a host counts only the instruments of its own container's
            // meter factory, so two gateways in one process (the test suite's) never add up each other's calls.
            builder.Services.ConfigureOpenTelemetryMeterProvider((services, metrics) =>
            {
                var own = services.GetRequiredService<IMeterFactory>();
                metrics.AddView(instrument => instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, own) ? null : MetricStreamConfiguration.Drop);
            });
        }
    }

    /// <summary>Adds the middleware and the endpoint; call before any other middleware, so every address is the client's.</summary>
    public static void UseObservability(this WebApplication app)
    {
        // With no proxy listed ASP.NET's middleware would trust every peer's header, so it runs only when one is.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value is { } forwarded
            && (forwarded.KnownProxies.Count > 0 || forwarded.KnownIPNetworks.Count > 0))
            app.UseForwardedHeaders();
        var telemetry = app.Services.GetRequiredService<SocketTelemetry>();
        var sessions = app.Services.GetRequiredService<SessionManager>();
        app.Services.GetRequiredService<GatewayMetrics>().ObserveGauges(() => sessions.LiveCount, telemetry.QueuedReplies);
        if (MetricsEnabled(app.Configuration))
            app.MapPrometheusScrapingEndpoint(MetricsPath);
    }

    private static bool MetricsEnabled(IConfiguration configuration) => configuration.GetValue(MetricsEnabledSetting, defaultValue: true);
}
