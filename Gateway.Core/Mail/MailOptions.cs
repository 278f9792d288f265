namespace Gateway.Core.Mail;

/// <summary><c>Gateway:Mail</c>: an SMTP server (<see cref="Host"/>) or a folder of .eml files (<see cref="PickupDirectory"/>), or neither.</summary>
public sealed class MailOptions
{
    /// <summary>The SMTP server's host name; empty: no SMTP.</summary>
    public string Host { get; set; } = "";

    /// <summary>The SMTP port.</summary>
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (the default), <c>SslOnConnect</c>, <c>Auto</c>, or <c>None</c> (only for a server on the same machine).</summary>
    public string Security { get; set; } = "StartTls";

    /// <summary>The SMTP login; empty: no authentication.</summary>
    public string UserName { get; set; } = "";

    /// <summary>The SMTP password; never logged.</summary>
    public string Password { get; set; } = "";

    /// <summary>The sender address.</summary>
    public string From { get; set; } = "exchange-gateway@localhost";

    /// <summary>A folder that receives one .eml file per message (mode 0600) instead of SMTP; empty: none.</summary>
    public string PickupDirectory { get; set; } = "";

    /// <summary>True when mail goes somewhere.</summary>
    public bool Configured => Host.Length > 0 || PickupDirectory.Length > 0;
}
