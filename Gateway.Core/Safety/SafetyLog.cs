using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Safety;

internal static partial class SafetyLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Debug, Message = "Answered a repeat of {Function} with its stored reply")]
    public static partial void Repeated(ILogger logger, string function);

    /// <summary>The test hook of <see cref="SafetyOptions.CrashAfterCommitOf"/>; the id is client text, so it is clipped and escaped.</summary>
    public static void CrashHook(ILogger logger, string requestId)
    {
        if (logger.IsEnabled(LogLevel.Critical))
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above.
            LogCrashHook(logger, LogText.Clip(requestId)!);
#pragma warning restore CA1873
    }

    [LoggerMessage(EventId = 501, Level = LogLevel.Critical, Message = "Test hook Gateway:Safety:CrashAfterCommitOf: killing the process after the commit of ClientRequestId {RequestId}")]
    private static partial void LogCrashHook(ILogger logger, string requestId);

    [LoggerMessage(EventId = 502, Level = LogLevel.Debug, Message = "Swept {Count} stored replies older than {Hours} h")]
    public static partial void Swept(ILogger logger, int count, double hours);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "Sweeping stored replies failed; retrying on the next tick")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
