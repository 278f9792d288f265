using Microsoft.Extensions.Logging;

namespace Gateway.Core.Storage;

internal static partial class StorageLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Database {Path} at schema version {Version}, journal {JournalMode}, synchronous {Synchronous}")]
    public static partial void Opened(ILogger logger, string path, int version, string journalMode, int synchronous);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Database busy (SQLite error {SqliteError}); retry {Attempt} in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, int sqliteError, int attempt, double delayMs);
}
