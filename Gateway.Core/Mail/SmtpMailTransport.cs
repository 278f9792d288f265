using System.Globalization;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Core.Mail;

/// <summary>Sends through an SMTP server with MailKit, one connection per message (reset mail is rare).</summary>
public sealed class SmtpMailTransport(MailOptions options) : IMailTransport
{
    /// <inheritdoc />
    public string Destination => string.Create(CultureInfo.InvariantCulture, $"smtp://{options.Host}:{options.Port} ({options.Security})");

    /// <summary>The MailKit socket option for a <see cref="MailOptions.Security"/> value; null for an unknown one.</summary>
    public static SecureSocketOptions? SocketOptions(string security) => security.ToUpperInvariant() switch
    {
        "STARTTLS" => SecureSocketOptions.StartTls,
        "SSLONCONNECT" => SecureSocketOptions.SslOnConnect,
        "AUTO" => SecureSocketOptions.Auto,
        "NONE" => SecureSocketOptions.None,
        _ => null,
    };

    /// <inheritdoc />
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(options.Host, options.Port, SocketOptions(options.Security) ?? SecureSocketOptions.StartTls, ct).ConfigureAwait(false);
        if (options.UserName.Length > 0)
            await client.AuthenticateAsync(options.UserName, options.Password, ct).ConfigureAwait(false);
        await client.SendAsync(message, ct).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, ct).ConfigureAwait(false);
    }
}
