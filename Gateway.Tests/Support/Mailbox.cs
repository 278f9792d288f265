using System.Text.RegularExpressions;
using MimeKit;

namespace Gateway.Tests.Support;

/// <summary>The pickup directory a test host writes its mail to, and the reset links in it.</summary>
public sealed partial class Mailbox(string directory)
{
    public const string LinkTemplate = "https://exchange.example/reset?user={UserId}&code={PendingCode}";

    public string Directory { get; } = directory;

    /// <summary>The settings that send a host's mail here.</summary>
    public string[] Settings => [$"--Gateway:Mail:PickupDirectory={Directory}", $"--Gateway:PasswordReset:LinkTemplate={LinkTemplate}"];

    /// <summary>A new empty pickup directory under <paramref name="host"/>'s data folder is not known before the host starts, so under the temp folder.</summary>
    public static Mailbox Create() => new(System.IO.Directory.CreateTempSubdirectory("gateway-mail-").FullName);

    /// <summary>The .eml files written so far.</summary>
    public IReadOnlyList<string> Files =>
        System.IO.Directory.Exists(Directory) ? [.. System.IO.Directory.GetFiles(Directory, "*.eml").Order(StringComparer.Ordinal)] : [];

    /// <summary>Every message sent to <paramref name="email"/> so far.</summary>
    public IReadOnlyList<MimeMessage> To(string email) =>
        [.. Files.Select(f => MimeMessage.Load(f)).Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(email, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>Waits until <paramref name="email"/> has <paramref name="count"/> messages (the outbox sends after the reply).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string email, int count = 1)
    {
        await Poll.UntilAsync(() => To(email).Count >= count, TimeSpan.FromSeconds(10), $"{count} mail(s) to {email} did not arrive");
        return To(email);
    }

    /// <summary>The (UserId, code) of the newest reset link mailed to <paramref name="email"/>, waiting for the <paramref name="count"/>th mail.</summary>
    public async Task<(int UserId, string Code)> ResetLinkAsync(string email, int count = 1)
    {
        var mails = await WaitForAsync(email, count);
        var links = mails.Select(m => LinkPattern().Match(m.TextBody ?? "")).Where(m => m.Success).ToList();
        Assert.That(links, Is.Not.Empty, "no reset link in the mail");
        var last = links[^1];
        return (int.Parse(last.Groups["user"].Value, System.Globalization.CultureInfo.InvariantCulture), last.Groups["code"].Value);
    }

    public void Delete()
    {
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }

    [GeneratedRegex(@"https://exchange\.example/reset\?user=(?<user>\d+)&code=(?<code>[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
