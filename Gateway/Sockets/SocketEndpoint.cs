using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Health;
using Gateway.Core.Telemetry;
using Gateway.Observability;
using Microsoft.Extensions.Options;

namespace Gateway.Sockets;

/// <summary>
/// Accepts WebSocket upgrades at <c>/WSGateway</c> and runs each socket until it closes. Before the upgrade it
/// refuses a browser origin that is not allowed (403) and a socket over the total cap (503).
/// </summary>
internal sealed class SocketEndpoint(
    Dispatcher dispatcher,
    GatewayStatus status,
    UserSockets userSockets,
    SocketTelemetry telemetry,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    Gateway.Core.Events.EventHub hub,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Gateway.Sockets");

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, Failures.NotWebSocket).ConfigureAwait(false);
            return;
        }

        var limits = options.Value.Limits;
        if (!OriginPolicy.Allows(context.Request, limits.AllowedOrigins))
        {
            SocketLog.Refused(_logger, context.Connection.Id, StatusCodes.Status403Forbidden, "origin not allowed");
            await RefuseAsync(context, StatusCodes.Status403Forbidden, Failures.OriginRefused).ConfigureAwait(false);
            return;
        }
        if (!status.TrySocketOpened(limits.MaxOpenSockets))
        {
            SocketLog.Refused(_logger, context.Connection.Id, StatusCodes.Status503ServiceUnavailable, "too many open sockets");
            telemetry.Refused(RateLimit.OpenSockets);
            await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, Failures.TooManySockets).ConfigureAwait(false);
            return;
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(limits.KeepAliveIntervalSeconds),
                KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds),
            }).ConfigureAwait(false);

            var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var stream = context.Features.Get<CoalescingUpgrade>()?.Stream;
            using var connection = new SocketConnection(socket, stream, context.Connection.Id, remote, dispatcher, limits, userSockets, telemetry, time, _logger, hub);
            telemetry.Opened(connection);
            try
            {
                await connection.RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            finally
            {
                telemetry.Closed(connection);
            }
        }
        finally
        {
            status.SocketClosed();
        }
    }

    private static async Task RefuseAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }
}
