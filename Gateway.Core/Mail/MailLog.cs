using Microsoft.Extensions.Logging;

namespace Gateway.Core.Mail;

// No line names a code, a link or a message body: only where mail goes and why it did not.
internal static partial class MailLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Warning,
        Message = "No mail is configured (Gateway:Mail:Host or Gateway:Mail:PickupDirectory): ResetPassword answers success and sends nothing")]
    public static partial void NotConfigured(ILogger logger);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Mail goes to {Destination}")]
    public static partial void Configured(ILogger logger, string destination);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "A {Kind} mail could not be sent: {Reason}")]
    public static partial void SendFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "The mail outbox is full ({Capacity} messages); a {Kind} mail was dropped")]
    public static partial void Dropped(ILogger logger, int capacity, string kind);
}
