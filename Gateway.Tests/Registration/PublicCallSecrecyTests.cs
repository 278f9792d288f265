using System.Text.Json;
using Gateway.Tests.PasswordReset;
using Gateway.Tests.Support;

namespace Gateway.Tests.Registration;

/// <summary>No password or reset code of the public calls appears in a log line, an audit row, a reply or the database in clear.</summary>
[TestFixture]
public sealed class PublicCallSecrecyTests : AdminFixture
{
    private readonly Mailbox _mailbox = Mailbox.Create();

    protected override string[] Settings => [.. _mailbox.Settings, "--Gateway:Registration:Enabled=true", "--Gateway:Registration:PerAddressPerHour=100"];

    [OneTimeTearDown]
    public void DeleteMailbox() => _mailbox.Delete();

    [Test]
    [CancelAfter(60_000)]
    public async Task Secrets_RegistrationResetAndARefusedGet_AppearNowhereButTheMail()
    {
        string registered = "reg-" + Guid.NewGuid().ToString("N"), refused = "ref-" + Guid.NewGuid().ToString("N"),
            urlPassword = "url-" + Guid.NewGuid().ToString("N"), newPassword = "new-" + Guid.NewGuid().ToString("N");
        var name = "secret." + Guid.NewGuid().ToString("N")[..10];
        var email = name + "@mail.example";
        var replies = new List<string>
        {
            await Host.CallAnonymousAsync(Transport.Socket, "RegisterNewUser",
                JsonSerializer.Serialize(new { UserInfo = new { UserName = name, Email = email, passwordHash = registered } })),
            await Host.CallAnonymousAsync(Transport.Http, "RegisterNewUser",
                JsonSerializer.Serialize(new { UserInfo = new { UserName = "x", Email = email, Password = refused } })),
            (await Host.GetAsync($"/AP/RegisterNewUser?UserName=someone&Password={urlPassword}")).Body,
        };
        var userId = JsonDocument.Parse(replies[0]).RootElement.GetProperty("UserId").GetInt32();
        var code = await Host.MailedCodeAsync(_mailbox, name, email);
        replies.Add(await Host.CallAnonymousAsync(Transport.Socket, "ResetPassword2", ResetSteps.Confirm(userId, newPassword, code)));
        Assert.That(replies[^1], Is.EqualTo(Std.Ok));

        var database = await DatabaseProbe.SnapshotAsync(Host.DatabasePath());
        var audit = (await Admin.CallAsync("GetAuditLog", "{\"Limit\":1000}")).O;
        foreach (var secret in new[] { registered, refused, urlPassword, newPassword, code })
        {
            Assert.That(LogCapture.Lines.Where(l => l.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a log line holds a secret");
            Assert.That(replies.Where(r => r.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a reply holds a secret");
            Assert.That(audit, Does.Not.Contain(secret));
            Assert.That(database, Does.Not.Contain(secret));
        }
        Assert.That(_mailbox.To(email).Single(m => m.Subject == "Reset your password").TextBody, Does.Contain(code), "the mail is the one place the code goes");
    }
}
