using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Service;
using Gateway.Core.Health;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers;

/// <summary>Every call the gateway answers, in one list. Open this file to find a call.</summary>
public static class HandlerCatalog
{
    /// <summary>A builder holding every product handler; the host may add more before freezing it.</summary>
    public static HandlerRegistryBuilder Create()
    {
        var json = GatewayJson.Context;
        return new HandlerRegistryBuilder()
            // System
            .Add<PingHandler, EmptyRequest, PingResponse>(json.EmptyRequest, json.PingResponse)
            .Add<HealthCheckHandler, EmptyRequest, HealthReport>(json.EmptyRequest, json.HealthReport);
    }
}
