namespace Gateway.Startup;

internal static partial class StartupLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Started: database {DatabasePath}, key {KeyPath}, listening on {Addresses}")]
    public static partial void Started(ILogger logger, string databasePath, string keyPath, string addresses);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug, Message = "The start failed")]
    public static partial void Failed(ILogger logger, Exception error);
}
