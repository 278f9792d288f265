using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Sockets;

internal static partial class SocketLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Socket {ConnectionId} opened from {RemoteAddress}")]
    public static partial void Opened(ILogger logger, string connectionId, string remoteAddress);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Socket {ConnectionId} closed with {CloseStatus} {CloseReason}")]
    private static partial void LogClosed(ILogger logger, string connectionId, int closeStatus, string closeReason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Socket {ConnectionId} closing with {CloseStatus}: {CloseReason}")]
    public static partial void Closing(ILogger logger, string connectionId, int closeStatus, string closeReason);

    /// <summary>A malformed frame; its detail may quote the client, so it is clipped and escaped.</summary>
    public static void FrameRefused(ILogger logger, string connectionId, string detail)
    {
        if (logger.IsEnabled(LogLevel.Debug))
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above.
            LogFrameRefused(logger, connectionId, LogText.Clip(detail)!);
#pragma warning restore CA1873
    }

    // Debug: a malformed frame is the client's business, and a client can send thousands a second.
    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Frame on {ConnectionId} refused: {Detail}")]
    private static partial void LogFrameRefused(ILogger logger, string connectionId, string detail);

    /// <summary>A socket closed; the peer's close reason is its own text, so it is clipped and escaped.</summary>
    public static void Closed(ILogger logger, string connectionId, int closeStatus, string closeReason)
    {
        if (logger.IsEnabled(LogLevel.Information))
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above.
            LogClosed(logger, connectionId, closeStatus, LogText.Clip(closeReason)!);
#pragma warning restore CA1873
    }

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "Socket {ConnectionId} failed unexpectedly")]
    public static partial void Faulted(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Upgrade on {ConnectionId} refused with HTTP {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string connectionId, int statusCode, string reason);
}
