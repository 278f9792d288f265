using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.Support.LoginAttacks;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Wrong 2FA codes and passwords sent all at once from one address, with the address limited to 20 failed logins a
/// minute: every attempt is counted before it is checked, so the address gets at most 20 of them checked and one user at
/// most LockoutFailures (5), however many arrive together.
/// </summary>
[TestFixture]
public sealed class ConcurrentLoginTests : HostFixture
{
    private const int AddressLimit = 20;
    private const int LockoutFailures = 5;

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero));
    private TestClient _admin = null!;

    // Only the failed-login limit is under test: the limits on all logins are lifted.
    protected override string[] Settings =>
    [
        $"--Gateway:Limits:FailedLoginsPerAddressPerMinute={AddressLimit}",
        "--Gateway:Limits:LoginsPerUserPerMinute=1000000",
        "--Gateway:Limits:LoginsPerAddressPerMinute=1000000",
    ];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    // Each test starts in a minute of its own, so one test's failures do not throttle the next.
    [SetUp]
    public async Task FreshMinute()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        _admin = await Host.ConnectAdminAsync();
    }

    [TearDown]
    public void CloseAdmin() => _admin.Dispose();

    [Test]
    [CancelAfter(180_000)]
    public async Task Authenticate2FA_600WrongCodesAtOnceOnTenSockets_AtMostFiveCheckedAndTwentyAdmitted(CancellationToken ct)
    {
        var (userId, userName, secret) = await _admin.NewEnrolledUserAsync();
        var sockets = await Host.ConnectManyAsync(10);
        try
        {
            foreach (var socket in sockets)
            {
                var login = await socket.CallAsync("AuthenticateUser", Credentials(userName));
                Assert.That(login.Payload.GetProperty("Requires2FA").GetBoolean(), Is.True, login.O);
            }

            var replies = await AllAtOnceAsync(
                sockets.SelectMany(s => Enumerable.Range(0, 60).Select(_ => (s, "Authenticate2FA", $"{{\"Code\":\"{WrongCode(secret, _clock.GetUtcNow())}\"}}"))), ct);

            var seen = Classify(replies);
            var rows = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM login_failures WHERE UserId = @userId", new { userId });
            TestContext.Out.WriteLine($"{seen}; login_failures rows of the user: {rows}");
            Assert.That(seen.Total, Is.EqualTo(600));
            Assert.That(seen.Other, Is.Zero, "a wrong code was accepted, or answered something else");
            Assert.That(seen.Invalid, Is.LessThanOrEqualTo(LockoutFailures), "codes checked and refused beyond the lockout");
            Assert.That(rows, Is.LessThanOrEqualTo(LockoutFailures), "failures counted toward the user beyond the lockout");
            Assert.That(seen.Admitted, Is.LessThanOrEqualTo(AddressLimit), "attempts the address got past its failed-login limit");
        }
        finally
        {
            sockets.DisposeAll();
        }
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task AuthenticateUser_WrongPasswordsAtOnceForFortyUsers_AtMostTwentyChecked(CancellationToken ct)
    {
        var users = new List<(int Id, string Name)>();
        for (var n = 0; n < 40; n++)
        {
            var name = "spread-" + Guid.NewGuid().ToString("N")[..10];
            users.Add((await _admin.CreateUserAsync(name, Password), name));
        }
        var sockets = await Host.ConnectManyAsync(10);
        try
        {
            var replies = await AllAtOnceAsync(
                Enumerable.Range(0, 200).Select(k => (sockets[k % 10], "AuthenticateUser", Credentials(users[k % 40].Name, "wrong-password"))), ct);

            var seen = Classify(replies);
            var rows = await Host.ScalarAsync<long>(
                $"SELECT COUNT(*) FROM login_failures WHERE UserId IN ({string.Join(',', users.Select(u => u.Id))})");
            TestContext.Out.WriteLine($"{seen}; login_failures rows of the 40 users: {rows}");
            Assert.That(seen.Total, Is.EqualTo(200));
            Assert.That(seen.Other, Is.Zero);
            Assert.That(seen.Admitted, Is.LessThanOrEqualTo(AddressLimit), "passwords checked beyond the address's limit");
            Assert.That(rows, Is.LessThanOrEqualTo(AddressLimit));
        }
        finally
        {
            sockets.DisposeAll();
        }
    }
}
