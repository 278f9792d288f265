using Microsoft.Extensions.Logging;

namespace Gateway.Core.Dispatch;

internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Call {Function} i={Sequence} on {ConnectionId} took {ElapsedMs:F3} ms, errorcode {ErrorCode}")]
    public static partial void CallCompleted(ILogger logger, string function, long sequence, string connectionId, double elapsedMs, int errorCode);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Call {Function} i={Sequence} on {ConnectionId} failed with errorcode {ErrorCode}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string function, long sequence, string connectionId, int errorCode, string detail);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Call {Function} i={Sequence} on {ConnectionId} threw; answered errorcode 102")]
    public static partial void CallFaulted(ILogger logger, Exception exception, string function, long sequence, string connectionId);
}
