using Gateway.Core.Dispatch;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LoginAttacks;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Wrong passwords and 2FA codes for one user sent all at once, with the per-address limits lifted: each attempt is
/// counted toward the user's lockout before it is checked, so no more than LockoutFailures (5) are ever checked.
/// </summary>
[TestFixture]
public sealed class LockoutRaceTests : HostFixture
{
    private const int LockoutFailures = 5;

    [Test]
    [CancelAfter(180_000)]
    public async Task AuthenticateUser_200WrongPasswordsAtOnceForOneUser_AtMostFiveCheckedThenLocked(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "race-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName, Password);
        var sockets = await Host.ConnectManyAsync(10);
        try
        {
            var replies = await AllAtOnceAsync(Enumerable.Range(0, 200).Select(k => (sockets[k % 10], "AuthenticateUser", Credentials(userName, "wrong-password"))), ct);

            var seen = Classify(replies);
            var rows = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM login_failures WHERE UserId = @userId", new { userId });
            TestContext.Out.WriteLine($"{seen}; login_failures rows of the user: {rows}");
            Assert.That(seen.Total, Is.EqualTo(200));
            Assert.That(seen.Other, Is.Zero);
            Assert.That(seen.Invalid, Is.LessThanOrEqualTo(LockoutFailures), "passwords checked and refused beyond the lockout");
            Assert.That(rows, Is.LessThanOrEqualTo(LockoutFailures));
            var right = await sockets[0].CallAsync("AuthenticateUser", Credentials(userName));
            Assert.That(Classify([right]).Locked, Is.EqualTo(1), right.O);
        }
        finally
        {
            sockets.DisposeAll();
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Authenticate2FA_600WrongCodesAtOnceForOneUser_AtMostFiveChecked(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var (userId, userName, secret) = await admin.NewEnrolledUserAsync();
        var sockets = await Host.ConnectManyAsync(10);
        try
        {
            foreach (var socket in sockets)
                Assert.That((await socket.CallAsync("AuthenticateUser", Credentials(userName))).Payload.GetProperty("Requires2FA").GetBoolean(), Is.True);

            var replies = await AllAtOnceAsync(
                sockets.SelectMany(s => Enumerable.Range(0, 60).Select(_ => (s, "Authenticate2FA", $"{{\"Code\":\"{WrongCode(secret, DateTimeOffset.UtcNow)}\"}}"))), ct);

            var seen = Classify(replies);
            var rows = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM login_failures WHERE UserId = @userId", new { userId });
            TestContext.Out.WriteLine($"{seen}; login_failures rows of the user: {rows}");
            Assert.That(seen.Total, Is.EqualTo(600));
            Assert.That(seen.Other, Is.Zero);
            Assert.That(seen.Invalid, Is.LessThanOrEqualTo(LockoutFailures), "codes checked and refused beyond the lockout");
            Assert.That(rows, Is.LessThanOrEqualTo(LockoutFailures));
            Assert.That(seen.Invalid + seen.Locked, Is.GreaterThan(0), $"nothing was checked at all: {Failures.RateLimited} for every code");
        }
        finally
        {
            sockets.DisposeAll();
        }
    }
}
