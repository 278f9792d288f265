using Gateway.Core.Dispatch;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LoginAttacks;

namespace Gateway.Tests.Integration;

/// <summary>
/// protocol.md section 7, password hashing: at most PasswordChecksAtOnce hashes run at once; a login that cannot get a
/// slot within PasswordCheckWaitSeconds answers "Rate limit exceeded" and does not count as a failed login.
/// </summary>
[TestFixture]
public sealed class PasswordGateTests : HostFixture
{
    private const int FailedLoginsPerAddress = 3;

    protected override string[] Settings =>
    [
        "--Gateway:Limits:PasswordChecksAtOnce=1", "--Gateway:Limits:PasswordCheckWaitSeconds=0",
        $"--Gateway:Limits:FailedLoginsPerAddressPerMinute={FailedLoginsPerAddress}",
    ];

    [Test]
    [CancelAfter(60_000)]
    public async Task AuthenticateUser_MoreLoginsAtOnceThanSlots_SomeTurnedAwayWithoutCountingAsFailures(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "gate-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateUserAsync(userName, Password);
        var sockets = await Host.ConnectManyAsync(4);
        try
        {
            var replies = await AllAtOnceAsync(Enumerable.Range(0, 20).Select(k => (sockets[k % 4], "AuthenticateUser", Credentials(userName))), ct);

            var ran = replies.Count(r => r.Payload.GetProperty("Authenticated").GetBoolean());
            var seen = Classify(replies);
            TestContext.Out.WriteLine($"{ran} logged in; {seen}");
            Assert.That(ran, Is.GreaterThan(0));
            Assert.That(seen.Throttled, Is.GreaterThan(FailedLoginsPerAddress), "no login, or too few, was turned away by the hashing slot");
            Assert.That(ran + seen.Throttled, Is.EqualTo(20));
            await sockets[0].LoginAsync(userName, Password);
            Assert.That(Classify([await sockets[0].CallAsync("AuthenticateUser", Credentials(userName, "wrong-password"))]).Invalid, Is.EqualTo(1),
                "turned-away logins counted as failed logins of the address");
        }
        finally
        {
            sockets.DisposeAll();
        }
    }
}
