using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Dispatch;

internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Call {Function} i={Sequence} on {ConnectionId} took {ElapsedMs:F3} ms, errorcode {ErrorCode}")]
    public static partial void CallCompleted(ILogger logger, string function, long sequence, string connectionId, double elapsedMs, int errorCode);

    /// <summary>A refused call; the function and the detail carry client text, so both are clipped and escaped.</summary>
    public static void CallFailed(ILogger logger, string function, long sequence, string connectionId, int errorCode, string detail)
    {
        if (logger.IsEnabled(LogLevel.Debug))
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above.
            LogCallFailed(logger, LogText.Clip(function)!, sequence, connectionId, errorCode, LogText.Clip(detail)!);
#pragma warning restore CA1873
    }

    // Debug, not Information: a refused call is the client's business, and a client can make a thousand a second.
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Call {Function} i={Sequence} on {ConnectionId} failed with errorcode {ErrorCode}: {Detail}")]
    private static partial void LogCallFailed(ILogger logger, string function, long sequence, string connectionId, int errorCode, string detail);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Call {Function} i={Sequence} on {ConnectionId} threw; answered errorcode 102")]
    public static partial void CallFaulted(ILogger logger, Exception exception, string function, long sequence, string connectionId);
}
