using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>A session idle longer than the configured timeout ends: the sweeper closes its sockets with 1008 and its token no longer resumes.</summary>
[TestFixture]
public sealed class SessionExpiryTests : HostFixture
{
    // 0.05 minutes is 3 s of idleness; the sweeper looks every 0.1 s.
    protected override string[] Settings => ["--Gateway:Security:SessionTimeoutMinutes=0.05", "--Gateway:Security:SessionSweepSeconds=0.1"];

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
}
