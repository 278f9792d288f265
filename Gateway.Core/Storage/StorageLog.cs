using Microsoft.Extensions.Logging;

namespace Gateway.Core.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Database {Path} at schema version {Version}, {Durability}")]
    public static partial void Opened(ILogger logger, string path, int version, string durability);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "The writer's connection to {Database} was lost and could not be opened again: {Error}")]
    public static partial void ReopenFailed(ILogger logger, string database, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "The writer's connection to {Database} was lost and has been opened again")]
    public static partial void Reopened(ILogger logger, string database);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Database busy ({EngineError}); retry {Attempt} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string engineError, int attempt, double delayMs);
}
