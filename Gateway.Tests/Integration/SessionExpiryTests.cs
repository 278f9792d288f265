using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// Time limits with short configured values: a session idle longer than its timeout ends (the sweeper closes its sockets
/// with 1008 and its token no longer resumes), and a lock ends with its lock period.
/// </summary>
[TestFixture]
public sealed class SessionExpiryTests : HostFixture
{
    // 0.05 minutes is 3 s of idleness (and of lock); the sweeper looks every 0.1 s.
    protected override string[] Settings =>
        ["--Gateway:Security:SessionTimeoutMinutes=0.05", "--Gateway:Security:SessionSweepSeconds=0.1", "--Gateway:Security:LockoutMinutes=0.05"];

    [Test]
    [CancelAfter(60_000)]
    public async Task SessionSweeper_IdleSessionPastTimeout_ClosesItsSocketWith1008AndTokenNoLongerResumes()
    {
        using var admin = await Host.ConnectAsync();
        await admin.LoginAsync("admin", TestHost.AdminPassword);
        var userName = "expiry-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateUserAsync(userName, "password-123");
        using var client = await Host.ConnectAsync();
        var token = await client.LoginAsync(userName, "password-123");

        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(closed.CloseStatusDescription, Is.EqualTo("Session expired"));
        using var again = await Host.ConnectAsync();
        var resume = await again.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
        Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, resume.O);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task AuthenticateUser_LockPeriodOver_RightPasswordLogsInAgain()
    {
        using var admin = await Host.ConnectAsync();
        await admin.LoginAsync("admin", TestHost.AdminPassword);
        var userName = "lock-period-" + Guid.NewGuid().ToString("N")[..10];
        await admin.CreateUserAsync(userName, "password-123");
        using var client = await Host.ConnectAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
            await client.AuthenticateAsync(userName, "wrong-password");
        Assert.That((await client.AuthenticateAsync(userName, "password-123")).GetProperty("Locked").GetBoolean(), Is.True);

        // Polls with the right password (which a locked user's attempt does not count as a failure) until the lock period ends.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var login = await client.AuthenticateAsync(userName, "password-123");
        while (!login.GetProperty("Authenticated").GetBoolean())
        {
            Assert.That(login.GetProperty("Locked").GetBoolean(), Is.True, login.GetRawText());
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the lock did not end with its lock period");
            login = await client.AuthenticateAsync(userName, "password-123");
        }
        Assert.That(login.GetProperty("Locked").GetBoolean(), Is.False);
    }
}
