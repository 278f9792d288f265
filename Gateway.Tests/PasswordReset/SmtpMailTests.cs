using Gateway.Tests.Support;

namespace Gateway.Tests.PasswordReset;

/// <summary>Reset mail through SMTP (MailKit) instead of the pickup directory: the link arrives at an SMTP server.</summary>
[TestFixture]
public sealed class SmtpMailTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task ResetPassword_WithSmtpConfigured_SendsTheLinkToTheServer()
    {
        await using var smtp = new FakeSmtpServer();
        await using var host = await TestHost.StartAsync("--Gateway:Mail:Host=127.0.0.1", $"--Gateway:Mail:Port={smtp.Port}", "--Gateway:Mail:Security=None",
            "--Gateway:Mail:From=gateway@exchange.example", $"--Gateway:PasswordReset:LinkTemplate={Mailbox.LinkTemplate}");
        using var admin = await host.ConnectAdminAsync();
        var (userId, name, email) = await admin.CreateMailUserAsync("smtp");

        Assert.That(await host.CallAnonymousAsync(Transport.Socket, "ResetPassword", ResetSteps.Request(name)), Is.EqualTo(Std.Ok));

        await Poll.UntilAsync(() => !smtp.Messages.IsEmpty, TimeSpan.FromSeconds(15), "no message reached the SMTP server");
        var message = smtp.Messages.Single();
        Assert.That(message, Does.Contain($"To: {name} <{email}>").Or.Contain($"To: \"{name}\" <{email}>"));
        Assert.That(message, Does.Contain("From: gateway@exchange.example"));
        Assert.That(message, Does.Match($@"https://exchange\.example/reset\?user={userId}&code=[A-Za-z0-9_-]{{43}}"));
    }
}
