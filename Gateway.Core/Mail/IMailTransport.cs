using MimeKit;

namespace Gateway.Core.Mail;

/// <summary>Where a message goes once it leaves the outbox: an SMTP server or a pickup directory.</summary>
public interface IMailTransport
{
    /// <summary>Where mail goes, for the start-up log line (no credentials).</summary>
    string Destination { get; }

    /// <summary>Delivers one message.</summary>
    Task SendAsync(MimeMessage message, CancellationToken ct);
}
