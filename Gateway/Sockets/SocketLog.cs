using Microsoft.Extensions.Logging;

namespace Gateway.Sockets;

internal static partial class SocketLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Socket {ConnectionId} opened from {RemoteAddress}")]
    public static partial void Opened(ILogger logger, string connectionId, string remoteAddress);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Socket {ConnectionId} closed with {CloseStatus} {CloseReason}")]
    public static partial void Closed(ILogger logger, string connectionId, int closeStatus, string closeReason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Socket {ConnectionId} closing with {CloseStatus}: {CloseReason}")]
    public static partial void Closing(ILogger logger, string connectionId, int closeStatus, string closeReason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Frame on {ConnectionId} refused: {Detail}")]
    public static partial void FrameRefused(ILogger logger, string connectionId, string detail);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "Socket {ConnectionId} failed unexpectedly")]
    public static partial void Faulted(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Upgrade on {ConnectionId} refused with HTTP {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string connectionId, int statusCode, string reason);
}
