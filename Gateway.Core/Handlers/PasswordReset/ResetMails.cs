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
        var settings = options.Value.PasswordReset;
        var userId = user.UserId;
        Send(user, "password reset", "Reset your password", () =>
        {
            var minutes = settings.CodeMinutes.ToString(CultureInfo.InvariantCulture);
            var link = settings.LinkTemplate
                .Replace(PasswordResetOptions.UserIdPlaceholder, userId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace(PasswordResetOptions.CodePlaceholder, code, StringComparison.Ordinal);
            return $"Someone asked to reset the password of {user.UserName}.\n\nTo choose a new password, open this link within {minutes} minutes:\n\n{link}\n\n" +
                "It works once. If you did not ask for this, ignore this mail: your password stays as it is.\n";
        });
    }

    /// <summary>Queues the notice that the password of <paramref name="user"/> was reset.</summary>
    public void SendNotice(UserRow user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Send(user, "password changed", "Your password was changed", () =>
            $"The password of {user.UserName} was just reset with a mailed code, and every session of the user has ended.\n\n" +
            "If this was not you, contact your exchange's support at once.\n");
    }

    // An address MimeKit cannot parse (an older user's, checked only for an '@') gets no mail; the reply is the same.
    // The message is written by the outbox after the reply, so the reply's timing does not include it.
    private void Send(UserRow user, string kind, string subject, Func<string> text)
    {
        if (!outbox.Enabled)
            return;
        var (name, email, from) = (user.UserName, user.Email, outbox.From);
        outbox.Enqueue(() =>
        {
            if (!MailboxAddress.TryParse(email, out var to) || !MailboxAddress.TryParse(from, out var sender))
                return null;
            var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = text() } };
            message.From.Add(sender);
            to.Name = name;
            message.To.Add(to);
            return message;
        }, kind);
    }
}
