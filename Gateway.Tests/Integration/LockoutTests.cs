using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// protocol.md section 5, lockout: each attempt is counted before it is checked and a success takes the count back, so
/// what the user sees is unchanged: five failures lock, a right password clears, a lock that ended leaves one try.
/// </summary>
[TestFixture]
public sealed class LockoutTests : HostFixture
{
    private const string Password = "password-123";
    private const string Refused = "{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Invalid username or password\"}";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task AuthenticateUser_FailureAfterTheLockEnded_LocksAgainAtOnce()
    {
        var (userName, userId) = await NewUserAsync();
        using var client = await Host.ConnectAsync();
        for (var n = 0; n < 5; n++)
            await client.AuthenticateAsync(userName, "wrong-password");

        _clock.Advance(TimeSpan.FromMinutes(15));
        var failure = await client.AuthenticateAsync(userName, "wrong-password");

        Assert.That(failure.GetProperty("Locked").GetBoolean(), Is.True, failure.GetRawText());
        Assert.That((await client.AuthenticateAsync(userName, Password)).GetProperty("Locked").GetBoolean(), Is.True);
        Assert.That(await FailuresAsync(userId), Is.EqualTo(5));
    }

    [Test]
    public async Task AuthenticateUser_RightPasswordAfterTheLockEnded_LogsInAndClearsTheCount()
    {
        var (userName, userId) = await NewUserAsync();
        using var client = await Host.ConnectAsync();
        for (var n = 0; n < 5; n++)
            await client.AuthenticateAsync(userName, "wrong-password");

        _clock.Advance(TimeSpan.FromMinutes(15));

        await client.LoginAsync(userName, Password);
        Assert.That(await FailuresAsync(userId), Is.Zero);
        Assert.That(await Host.ScalarAsync<long>("SELECT Locked FROM users WHERE UserId = @userId", new { userId }), Is.Zero);
    }

    [Test]
    public async Task AuthenticateUser_RightPasswordOfA2FAUser_LeavesEarlierFailuresAndAddsNone()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (userId, userName, _) = await admin.NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("AuthenticateUser", Credentials(userName, "wrong-password"))).O, Is.EqualTo(Refused));

        var login = await client.CallAsync("AuthenticateUser", Credentials(userName, LoginAttacks.Password));

        Assert.That(login.Payload.GetProperty("Requires2FA").GetBoolean(), Is.True, login.O);
        Assert.That(await FailuresAsync(userId), Is.EqualTo(1), "the password alone cleared the failures, or counted as one");
        Assert.That(await Host.ScalarAsync<long>("SELECT NumberOfFailedAttempt FROM users WHERE UserId = @userId", new { userId }), Is.EqualTo(1));
    }

    [Test]
    public async Task Authenticate2FA_WrongCodesAfterTheRightPassword_StillLockAtTheFifthFailure()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (_, userName, secret) = await admin.NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        var replies = new List<string?>();
        // Logging in with the password again between codes must not reset the count of wrong codes.
        for (var n = 0; n < 5; n++)
        {
            await client.CallAsync("AuthenticateUser", Credentials(userName, LoginAttacks.Password));
            var reply = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{LoginAttacks.WrongCode(secret, _clock.GetUtcNow())}\"}}");
            replies.Add(reply.Payload.GetProperty("errormsg").GetString());
        }

        Assert.That(replies.Take(4), Is.All.EqualTo(Failures.InvalidCredentials));
        Assert.That(replies[4], Is.EqualTo(Failures.Locked));
    }

    private async Task<(string UserName, int UserId)> NewUserAsync()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "lockout-" + Guid.NewGuid().ToString("N")[..10];
        return (userName, await admin.CreateUserAsync(userName, Password));
    }

    private Task<long> FailuresAsync(int userId) =>
        Host.ScalarAsync<long>("SELECT COUNT(*) FROM login_failures WHERE UserId = @userId", new { userId });

    private static string Credentials(string userName, string password) => JsonSerializer.Serialize(new { UserName = userName, Password = password });
}
