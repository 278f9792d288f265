using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.PasswordReset;

/// <summary>calls-next.md, password reset rules 2 and 5: expiry, and the per-address and per-name limits at their defaults.</summary>
[TestFixture]
public sealed class PasswordResetLimitTests
{
    private static readonly Transport[] Transports = AnonymousCalls.Both;
    private Mailbox _mailbox = null!;

    [SetUp]
    public void NewMailbox() => _mailbox = Mailbox.Create();

    [TearDown]
    public void DeleteMailbox() => _mailbox.Delete();

    [Test]
    public async Task ResetPassword_OverTenFromOneAddress_Answers101([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync(_mailbox.Settings);
        var replies = await host.CallManyAnonymousAsync(transport, "ResetPassword",
            [.. Enumerable.Range(0, 12).Select(i => ResetSteps.Request($"nobody-{i}"))], parallel: 1);

        Assert.That(replies.Take(10), Is.All.EqualTo(Std.Ok));
        Assert.That(replies.Skip(10), Is.All.EqualTo(Std.Error(101, "Rate limit exceeded")));
    }

    [Test]
    public async Task ResetPassword_OverThreeForOneName_AnswersTheSameSuccessAndMailsNoMore([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync(_mailbox.Settings);
        using var admin = await host.ConnectAdminAsync();
        var (_, name, email) = await admin.CreateMailUserAsync();

        var replies = await host.CallManyAnonymousAsync(transport, "ResetPassword",
            [ResetSteps.Request(name), ResetSteps.Request(name.ToUpperInvariant()), ResetSteps.Request(name), ResetSteps.Request(name), ResetSteps.Request(name)], parallel: 1);
        await _mailbox.WaitForAsync(email, 3);
        // The outbox sends in order, so the mails of requests four and five would be there by the time a later mail is.
        var (otherId, other, otherEmail) = await admin.CreateMailUserAsync();
        Assert.That(await host.CallAnonymousAsync(transport, "ResetPassword", ResetSteps.Request(other)), Is.EqualTo(Std.Ok));
        await _mailbox.WaitForAsync(otherEmail);

        Assert.That(replies, Is.All.EqualTo(Std.Ok));
        Assert.That(_mailbox.To(email), Has.Count.EqualTo(3));
        Assert.That(otherId, Is.Positive);
    }

    [Test]
    public async Task ResetPassword2_OverTwentyChecksFromOneAddress_Answers101([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync(_mailbox.Settings);
        var replies = await host.CallManyAnonymousAsync(transport, "ResetPassword2",
            [.. Enumerable.Range(0, 22).Select(i => ResetSteps.Confirm(1000 + i, "second-password-2", "wrong"))], parallel: 1);

        Assert.That(replies.Take(20), Is.All.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
        Assert.That(replies.Skip(20), Is.All.EqualTo(Std.Error(101, "Rate limit exceeded")));
    }

    [Test]
    public async Task ResetPassword2_AfterThirtyMinutes_TheCodeHasExpired([ValueSource(nameof(Transports))] Transport transport)
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(services => services.AddSingleton<TimeProvider>(clock), _mailbox.Settings);
        using var admin = await host.ConnectAdminAsync();
        var (userId, name, email) = await admin.CreateMailUserAsync();
        var first = await host.MailedCodeAsync(_mailbox, name, email);
        clock.Advance(TimeSpan.FromMinutes(29));
        Assert.That(await host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "second-password-2", first)), Is.EqualTo(Std.Ok),
            "valid within its 30 minutes");
        var second = await host.MailedCodeAsync(_mailbox, name, email, count: 3);

        clock.Advance(TimeSpan.FromMinutes(30));
        var reply = await host.CallAnonymousAsync(transport, "ResetPassword2", ResetSteps.Confirm(userId, "third-password-3", second));

        Assert.That(reply, Is.EqualTo(Std.Error(101, "reset code is invalid or has expired")));
    }
}
