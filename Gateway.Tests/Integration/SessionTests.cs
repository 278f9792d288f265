using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Logins, lockout, resuming by token, LogOut and restarts (protocol.md section 5).</summary>
[TestFixture]
public sealed class SessionTests : HostFixture
{
    private const string Password = "password-123";
    private const string StdOk = "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}";

    private static string NewName() => "session-" + Guid.NewGuid().ToString("N")[..10];

    [Test]
    public async Task AuthenticateUser_UnknownUserAndWrongPassword_RepliesAreByteIdentical()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        await admin.CreateUserAsync(userName, Password);
        using var wrongPassword = await Host.ConnectAsync();
        using var unknownUser = await Host.ConnectAsync();

        var wrong = await wrongPassword.CallAsync("AuthenticateUser", $"{{\"UserName\":\"{userName}\",\"Password\":\"not-the-password\"}}");
        var unknown = await unknownUser.CallAsync("AuthenticateUser", $"{{\"UserName\":\"{NewName()}\",\"Password\":\"not-the-password\"}}");

        Assert.That(wrong.O, Is.EqualTo("{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Invalid username or password\"}"));
        Assert.That(unknown.Raw, Is.EqualTo(wrong.Raw));
    }

    [Test]
    public async Task AuthenticateUser_WrongPasswordFiveTimes_LockedEvenWithTheRightPassword()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        await admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
            Assert.That((await client.AuthenticateAsync(userName, "wrong-password")).GetProperty("Authenticated").GetBoolean(), Is.False);

        var right = await client.AuthenticateAsync(userName, Password);

        Assert.That(right.GetProperty("Authenticated").GetBoolean(), Is.False, right.GetRawText());
        Assert.That(right.GetProperty("Locked").GetBoolean(), Is.True, right.GetRawText());
        Assert.That((await client.CallAsync("GetUserInfo", "{}")).ErrorCode(), Is.EqualTo(20), "a locked login must not bind a session");
    }

    [Test]
    public async Task UnLockUser_LockedUser_LoginWorksAgain()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var userId = await admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
            await client.AuthenticateAsync(userName, "wrong-password");
        Assert.That((await client.AuthenticateAsync(userName, Password)).GetProperty("Locked").GetBoolean(), Is.True);

        var unlock = await admin.CallAsync("UnLockUser", $"{{\"UserId\":{userId}}}");

        Assert.That(unlock.O, Is.EqualTo(StdOk));
        var login = await client.AuthenticateAsync(userName, Password);
        Assert.That(login.GetProperty("Authenticated").GetBoolean(), Is.True, login.GetRawText());
        Assert.That(login.GetProperty("Locked").GetBoolean(), Is.False);
    }

    [Test]
    public async Task WebAuthenticateUser_SessionTokenOnSecondSocket_ResumesTheSession()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var userId = await admin.CreateUserAsync(userName, Password);
        using var first = await Host.ConnectAsync();
        var token = await first.LoginAsync(userName, Password);
        using var second = await Host.ConnectAsync();

        var resume = await second.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");

        Assert.That(resume.O, Is.EqualTo($"{{\"Authenticated\":true,\"SessionToken\":\"{token}\",\"UserId\":{userId}}}"));
        Assert.That((await second.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That((await first.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
    }

    [Test]
    public async Task WebAuthenticateUser_UnknownSessionToken_NotAuthenticatedAndSocketStaysAnonymous()
    {
        using var client = await Host.ConnectAsync();

        var resume = await client.CallAsync("WebAuthenticateUser", "{\"SessionToken\":\"not-a-token-the-gateway-issued\"}");

        Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, resume.O);
        Assert.That((await client.CallAsync("GetUserInfo", "{}")).O,
            Is.EqualTo("{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"Not logged in\"}"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task LogOut_SessionOnTwoSockets_BothCloseWith1008AndAreNeverServedAgain()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        await admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        var token = await client.LoginAsync(userName, Password);
        using var resumed = await Host.ConnectAsync();
        await resumed.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");

        var logOut = await client.CallAsync("LogOut", "{}");
        // A private call sent right after the reply is refused, or never answered because the socket closes.
        var next = client.Expect(1_000_001);
        client.Send(TestClient.Frame(0, 1_000_001, "GetUserInfo", "{}"));
        await Task.WhenAny(next, client.Closed).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.That(logOut.O, Is.EqualTo(StdOk));
        if (next.IsCompleted)
            Assert.That((await next).ErrorCode(), Is.EqualTo(20), (await next).O);
        foreach (var socket in new[] { client, resumed })
        {
            var closed = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        }
        using var again = await Host.ConnectAsync();
        var resume = await again.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
        Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, resume.O);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task WebAuthenticateUser_StoredTokenAfterHostRestart_ResumesOnTheSameDatabase()
    {
        var host = await TestHost.StartAsync();
        try
        {
            using var admin = await host.ConnectAdminAsync();
            var userName = NewName();
            var userId = await admin.CreateUserAsync(userName, Password);
            string token;
            using (var client = await host.ConnectAsync())
                token = await client.LoginAsync(userName, Password);

            host = await host.RestartAsync();

            using var resumed = await host.ConnectAsync();
            var resume = await resumed.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
            Assert.That(resume.O, Is.EqualTo($"{{\"Authenticated\":true,\"SessionToken\":\"{token}\",\"UserId\":{userId}}}"));
            Assert.That((await resumed.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
