using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Hardening;

/// <summary>
/// One user logging in over and over: its sessions, stored and in memory, never exceed MaxSessionsPerUser. A login over
/// the cap ends the user's least recently used session, preferring those no socket is using.
/// </summary>
[TestFixture]
public sealed class SessionFloodTests : HostFixture
{
    private const int Cap = 20;

    protected override string[] Settings => [$"--Gateway:Limits:MaxSessionsPerUser={Cap}"];

    [Test]
    [CancelAfter(180_000)]
    public async Task AuthenticateUser_SignedLoginLoopForOneUser_SessionsStayAtTheCapAndTheUsedSocketKeepsItsSession(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("flood-" + Guid.NewGuid().ToString("N")[..10]);
        var key = await admin.AddKeyAsync(userId, "Trading");
        using var keeper = await Host.ConnectAsync();
        Assert.That((await keeper.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        var live = Host.App.Services.GetRequiredService<SessionManager>();
        var liveBefore = live.LiveCount;
        using var looper = await Host.ConnectAsync();

        var tokens = new List<string>();
        for (var n = 0; n < 300; n++)
        {
            var reply = await looper.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
            Assert.That(reply.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, $"login {n + 1}: {reply.O}");
            tokens.Add(reply.Payload.GetProperty("SessionToken").GetString()!);
        }

        var stored = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE UserId = @userId", new { userId });
        var addedInMemory = live.LiveCount - liveBefore;
        TestContext.Out.WriteLine($"after 301 logins: {stored} sessions stored, {addedInMemory} more in memory");
        Assert.That(stored, Is.EqualTo(Cap));
        Assert.That(addedInMemory, Is.LessThanOrEqualTo(Cap - 1), "sessions kept in memory beyond the cap");
        Assert.That((await keeper.CallAsync("GetUserAPIKeys")).ErrorCode(), Is.Zero, "the session a socket was using was ended");
        Assert.That((await looper.CallAsync("GetUserAPIKeys")).ErrorCode(), Is.Zero, "the newest session does not work");
        using var late = await Host.ConnectAsync();
        var resume = await late.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = tokens[0] }));
        Assert.That(resume.Payload.GetProperty("errormsg").GetString(), Is.EqualTo(Failures.UnknownToken), "an ended session's token still works");
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task AuthenticateUser_LoginOverTheCapWithEverySessionOnASocket_LeastRecentlyUsedClosedWith1008(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = "capped-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName);
        var sockets = await Host.ConnectManyAsync(Cap);
        try
        {
            var tokens = new List<string>();
            foreach (var socket in sockets)
                tokens.Add(await socket.LoginAsync(userName, "password-123"));
            // The first socket is used again, so the second holds the least recently used session.
            Assert.That((await sockets[0].CallAsync("GetUserInfo")).ErrorCode(), Is.Zero);

            using var newest = await Host.ConnectAsync();
            await newest.LoginAsync(userName, "password-123");

            var closed = await sockets[1].Closed.WaitAsync(TimeSpan.FromSeconds(15), ct);
            Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
            Assert.That(closed.CloseStatusDescription, Is.EqualTo($"Ended by a newer login: a user has at most {Cap} sessions"));
            Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM sessions WHERE UserId = @userId", new { userId }), Is.EqualTo(Cap));
            using var late = await Host.ConnectAsync();
            var resume = await late.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = tokens[1] }));
            Assert.That(resume.Payload.GetProperty("errormsg").GetString(), Is.EqualTo(Failures.UnknownToken));
            Assert.That((await sockets[0].CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, "a more recently used session was ended");
            Assert.That((await sockets[2].CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, "a second session was ended");
        }
        finally
        {
            sockets.DisposeAll();
        }
    }
}
