using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.Core.Health;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md section 7: open sockets in all and per user, the anonymous timeout, keep-alive, and the Origin check.</summary>
[TestFixture]
public sealed class SocketLimitTests : HostFixture
{
    private const string Password = "password-123";
    private const string Pong = "{\"msg\":\"PONG\"}";
    private const string AllowedOrigin = "https://app.example";

    protected override string[] Settings =>
    [
        "--Gateway:Limits:MaxSocketsPerUser=2",
        "--Gateway:Limits:AnonymousTimeoutSeconds=1",
        "--Gateway:Limits:KeepAliveIntervalSeconds=1",
        "--Gateway:Limits:KeepAliveTimeoutSeconds=1",
        $"--Gateway:Limits:AllowedOrigins:0={AllowedOrigin}",
    ];

    [Test]
    [CancelAfter(30_000)]
    public async Task Upgrade_OverMaxOpenSockets_Answers503WithNoExceptionLogged(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync("--Gateway:Limits:MaxOpenSockets=2");
        using var first = await host.ConnectAsync();
        using var second = await host.ConnectAsync();
        var logged = LogCapture.Lines.Count;

        var status = await RawSocket.UpgradeStatusAsync(host.WsUri);

        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        var lines = LogCapture.Lines.Skip(logged).ToList();
        Assert.That(lines.Where(l => l.Contains("Exception", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)), Is.Empty);
        Assert.That((await first.CallAsync("Ping")).O, Is.EqualTo(Pong));
        Assert.That((await second.CallAsync("Ping")).O, Is.EqualTo(Pong));

        await first.CloseAsync();
        var status2 = host.App.Services.GetRequiredService<GatewayStatus>();
        await Poll.UntilAsync(() => status2.OpenSockets < 2, TimeSpan.FromSeconds(5), "the closed socket was not uncounted", ct);
        using var third = await host.ConnectAsync();
        Assert.That((await third.CallAsync("Ping")).O, Is.EqualTo(Pong));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task AuthenticateUser_UserAtMaxSockets_ReplySentThenClosedWith1008(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        await admin.CreateUserAsync(userName, Password);
        using var first = await LoggedInAsync(userName);
        using var second = await LoggedInAsync(userName);
        using var third = await Host.ConnectAsync();

        await third.LoginAsync(userName, Password);

        var closed = await third.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(closed.CloseStatusDescription, Does.Contain("already has 2 sockets open"));
        Assert.That((await first.CallAsync("Ping")).O, Is.EqualTo(Pong));
        Assert.That((await second.CallAsync("Ping")).O, Is.EqualTo(Pong));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WebAuthenticateUser_ResumeAsUserAtMaxSockets_ClosedWith1008(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var userId = await admin.CreateUserAsync(userName, Password);
        using var first = await Host.ConnectAsync();
        var token = await first.LoginAsync(userName, Password);
        using var second = await LoggedInAsync(userName);
        using var third = await Host.ConnectAsync();

        var reply = await third.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));

        Assert.That(reply.Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        var closed = await third.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        await first.CloseAsync();
        var perUser = Host.App.Services.GetRequiredService<Gateway.Sockets.UserSockets>();
        await Poll.UntilAsync(() => perUser.Count(userId) < 2, TimeSpan.FromSeconds(5), "the closed sockets still count", ct);
        using var fourth = await LoggedInAsync(userName);
        Assert.That((await fourth.CallAsync("Ping")).O, Is.EqualTo(Pong), "a socket under the cap was closed");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Socket_NotLoggedInWithinAnonymousTimeout_ClosedWith1008(CancellationToken ct)
    {
        using var loggedIn = await Host.ConnectAdminAsync();
        using var anonymous = await Host.ConnectAsync();
        var opened = DateTime.UtcNow;

        var closed = await anonymous.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.That(DateTime.UtcNow - opened, Is.GreaterThan(TimeSpan.FromSeconds(0.8)));
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(closed.CloseStatusDescription, Does.Contain("Not logged in within 1 s"));
        Assert.That((await loggedIn.CallAsync("Ping")).O, Is.EqualTo(Pong));
        Assert.That(loggedIn.Closed.IsCompleted, Is.False);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task KeepAlive_PeerStopsAnsweringPings_SocketAndUserPlaceFreedWithinIntervalPlusTimeout(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var userId = await admin.CreateUserAsync(userName, Password);
        using var live = await LoggedInAsync(userName);
        var perUser = Host.App.Services.GetRequiredService<Gateway.Sockets.UserSockets>();
        using var dead = await RawSocket.ConnectAsync(Host.WsUri);
        await dead.SendAsync(TestClient.Frame(0, 2, "AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password })), ct);
        var login = ReplyFrame.TryParse(await dead.ReceiveAsync());
        Assert.That(login?.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login?.Raw);
        Assert.That(perUser.Count(userId), Is.EqualTo(2));

        // From here the raw socket never reads, so it answers no ping: to the gateway it is a dead peer.
        var stopped = DateTime.UtcNow;
        await Poll.UntilAsync(() => perUser.Count(userId) < 2, TimeSpan.FromSeconds(8), "the dead peer still holds its place", ct);
        var freedAfter = DateTime.UtcNow - stopped;
        TestContext.Out.WriteLine($"dead peer freed after {freedAfter.TotalSeconds:0.0} s");
        // Interval + timeout is 2 s; the ping timer's phase and a busy machine get 2 s of slack.
        Assert.That(freedAfter, Is.LessThan(TimeSpan.FromSeconds(2 + 2)), "not freed within interval + timeout");

        using var next = await LoggedInAsync(userName);
        Assert.That((await next.CallAsync("Ping")).O, Is.EqualTo(Pong));
        Assert.That((await live.CallAsync("Ping")).O, Is.EqualTo(Pong));
    }

    [TestCase("https://evil.example", HttpStatusCode.Forbidden)]
    [TestCase(AllowedOrigin, HttpStatusCode.SwitchingProtocols)]
    [TestCase(null, HttpStatusCode.SwitchingProtocols)]
    public async Task Upgrade_Origin_AllowedOnlyWhenListedOrAbsent(string? origin, HttpStatusCode expected)
    {
        Assert.That(await RawSocket.UpgradeStatusAsync(Host.WsUri, origin), Is.EqualTo(expected));
    }

    [Test]
    public async Task Upgrade_OriginOfGatewayItself_Allowed()
    {
        Assert.That(await RawSocket.UpgradeStatusAsync(Host.WsUri, $"http://{Host.HttpUri.Authority}"), Is.EqualTo(HttpStatusCode.SwitchingProtocols));
    }

    private async Task<TestClient> LoggedInAsync(string userName)
    {
        var client = await Host.ConnectAsync();
        await client.LoginAsync(userName, Password);
        return client;
    }

    private static string NewName() => "sockets-" + Guid.NewGuid().ToString("N")[..10];
}
