using System.Diagnostics.Metrics;
using Gateway.Core.Telemetry;

namespace Gateway.Tests.Support;

/// <summary>Instruments for a dispatcher or writer built by hand: their own meters, which no exporter listens to.</summary>
public static class TestMetrics
{
    public static GatewayMetrics Create() => new(new OwnMeters());

    private sealed class OwnMeters : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(options.Name, options.Version, options.Tags, scope: this);

        public void Dispose()
        {
        }
    }
}
