using System.Globalization;
using Gateway.Core.Mail;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary>The two mails of a password reset: the link with the code, and the notice that the password changed.</summary>
public sealed class ResetMails(MailOutbox outbox, IOptions<GatewayOptions> options)
{
    /// <summary>Queues the link for <paramref name="user"/>: the only place the code ever goes.</summary>
    public void SendLink(UserRow user, string code)
    {
        ArgumentNullException.ThrowIfNull(user);
        var minutes = options.Value.PasswordReset.CodeMinutes.ToString(CultureInfo.InvariantCulture);
        var link = options.Value.PasswordReset.LinkTemplate
            .Replace(PasswordResetOptions.UserIdPlaceholder, user.UserId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(PasswordResetOptions.CodePlaceholder, code, StringComparison.Ordinal);
        Send(user, "password reset", "Reset your password",
            $"Someone asked to reset the password of {user.UserName}.\n\nTo choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n" +
            "It works once. If you did not ask for this, ignore this mail: your password stays as it is.\n");
    }

    /// <summary>Queues the notice that the password of <paramref name="user"/> was reset.</summary>
    public void SendNotice(UserRow user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Send(user, "password changed", "Your password was changed",
            $"The password of {user.UserName} was just reset with a mailed code, and every session of the user has ended.\n\n" +
            "If this was not you, contact your exchange's support at once.\n");
    }

    // An address MimeKit cannot parse (an older user's, checked only for an '@') gets no mail; the reply is the same.
    private void Send(UserRow user, string kind, string subject, string text)
    {
        if (!outbox.Enabled || !MailboxAddress.TryParse(user.Email, out var to) || !MailboxAddress.TryParse(outbox.From, out var from))
            return;
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text } };
        message.From.Add(from);
        to.Name = user.UserName;
        message.To.Add(to);
        outbox.Enqueue(message, kind);
    }
}
