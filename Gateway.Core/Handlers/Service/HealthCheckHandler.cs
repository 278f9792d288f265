using Gateway.Core.Dispatch;
using Gateway.Core.Health;

namespace Gateway.Core.Handlers.Service;

/// <summary>HealthCheck: the same report as <c>GET /health</c>, over the call protocol.</summary>
public sealed class HealthCheckHandler(GatewayStatus status) : IHandler<EmptyRequest, HealthReport>
{
    /// <inheritdoc />
    public static string Name => "HealthCheck";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<HealthReport> HandleAsync(EmptyRequest request, CallContext call, CancellationToken ct) =>
        await status.ReportAsync(ct).ConfigureAwait(false);
}
