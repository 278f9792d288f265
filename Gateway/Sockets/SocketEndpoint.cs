using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Health;
using Microsoft.Extensions.Options;

namespace Gateway.Sockets;

/// <summary>Accepts WebSocket upgrades at <c>/WSGateway</c> and runs each socket until it closes.</summary>
internal sealed class SocketEndpoint(
    Dispatcher dispatcher,
    GatewayStatus status,
    IOptions<GatewayOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Gateway.Sockets");

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This endpoint speaks WebSocket: connect with ws://host/WSGateway", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var limits = options.Value.Limits;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = TimeSpan.FromSeconds(limits.KeepAliveIntervalSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(limits.KeepAliveTimeoutSeconds),
        }).ConfigureAwait(false);

        var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using var connection = new SocketConnection(socket, context.Connection.Id, remote, dispatcher, limits, time, _logger);
        status.SocketOpened();
        try
        {
            await connection.RunAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        finally
        {
            status.SocketClosed();
        }
    }
}
