using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// operations.md section 4: <c>GET /metrics</c> counts exactly what this fixture's own host did (the fixture has a host
/// of its own, and a second host in the same process counts apart), with bounded tags.
/// </summary>
[TestFixture]
public sealed class MetricsTests : HostFixture
{
    [Test]
    [CancelAfter(120_000)]
    public async Task Metrics_ScriptedCalls_ExactCountsPerFunctionErrorcodeReasonAndOpenSockets(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        using var idle = await Host.ConnectAsync();
        for (var k = 0; k < 3; k++)
            Assert.That((await admin.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
        Assert.That((await admin.CallAsync("NoSuchCall-" + Guid.NewGuid().ToString("N"))).ErrorCode(), Is.EqualTo(106));
        Assert.That((await admin.CallAsync("NoSuchCall-" + Guid.NewGuid().ToString("N"))).ErrorCode(), Is.EqualTo(106));
        Assert.That((await admin.CallAsync("GetUserInfo", "{\"UserId\":999999}")).ErrorCode(), Is.EqualTo(104));
        Assert.That((await idle.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20));
        Assert.That((await Host.GetAsync("/AP/Ping")).Status, Is.EqualTo(HttpStatusCode.OK));
        await RefusedLoginAsync("admin", "not-the-password");
        await RefusedLoginAsync("admin", "not-the-password-either");
        await RefusedLoginAsync("nobody-" + Guid.NewGuid().ToString("N"), "whatever-123");

        var metrics = await ScrapeAsync(Host);

        Assert.Multiple(() =>
        {
            Assert.That(Calls(metrics, "Ping", "0", "ws"), Is.EqualTo(3));
            Assert.That(Calls(metrics, "Ping", "0", "http"), Is.EqualTo(1));
            Assert.That(Calls(metrics, "unknown", "106", "ws"), Is.EqualTo(2));
            Assert.That(Calls(metrics, "GetUserInfo", "104", "ws"), Is.EqualTo(1));
            Assert.That(Calls(metrics, "GetUserInfo", "20", "ws"), Is.EqualTo(1));
            Assert.That(Calls(metrics, "AuthenticateUser", "0", "ws"), Is.EqualTo(1));
            Assert.That(Calls(metrics, "AuthenticateUser", "0", "http"), Is.EqualTo(3));
            Assert.That(PrometheusText.Value(metrics, "gateway_logins_failed_total", "reason=wrong_password"), Is.EqualTo(2));
            Assert.That(PrometheusText.Value(metrics, "gateway_logins_failed_total", "reason=unknown_user"), Is.EqualTo(1));
            Assert.That(PrometheusText.Value(metrics, "gateway_sockets_open"), Is.EqualTo(2));
            Assert.That(PrometheusText.Value(metrics, "gateway_sessions_active"), Is.EqualTo(1));
            Assert.That(PrometheusText.Value(metrics, "gateway_call_duration_seconds_count", "function=Ping"), Is.EqualTo(4));
            Assert.That(PrometheusText.Value(metrics, "gateway_db_commit_duration_seconds_count"), Is.GreaterThanOrEqualTo(1));
            Assert.That(PrometheusText.Value(metrics, "gateway_replies_queued"), Is.Zero);
            Assert.That(metrics, Does.Not.Contain("NoSuchCall"), "a client's function name became a tag");
            Assert.That(metrics, Does.Contain("http_server_request_duration_seconds"), "ASP.NET's own meters are not exported");
        });

        idle.Dispose();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (PrometheusText.Value(await ScrapeAsync(Host), "gateway_sockets_open") != 1)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the closed socket was still counted open after 15 s");
            await Task.Delay(20, ct);
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Metrics_SecondHostInTheSameProcess_CountsOnlyItsOwnCalls(CancellationToken ct)
    {
        var before = Calls(await ScrapeAsync(Host), "HealthCheck", "0", "ws") ?? 0;
        await using var other = await TestHost.StartAsync();
        using (var client = await other.ConnectAsync())
        {
            for (var k = 0; k < 5; k++)
                Assert.That((await client.CallAsync("HealthCheck")).ErrorCode(), Is.Zero);
        }
        using (var client = await Host.ConnectAsync())
            Assert.That((await client.CallAsync("HealthCheck")).ErrorCode(), Is.Zero);

        Assert.That(Calls(await ScrapeAsync(other), "HealthCheck", "0", "ws"), Is.EqualTo(5));
        Assert.That(Calls(await ScrapeAsync(Host), "HealthCheck", "0", "ws"), Is.EqualTo(before + 1));
    }

    private static double? Calls(string metrics, string function, string errorCode, string transport) =>
        PrometheusText.Value(metrics, "gateway_calls_total", $"function={function}", $"errorcode={errorCode}", $"transport={transport}");

    private async Task RefusedLoginAsync(string userName, string password)
    {
        var reply = await Host.PostAsync("/AP/AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = password }));
        Assert.That(reply.Json.GetProperty("Authenticated").GetBoolean(), Is.False, reply.ToString());
    }

    internal static async Task<string> ScrapeAsync(TestHost host)
    {
        var reply = await host.GetAsync("/metrics");
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        return reply.Body;
    }
}

/// <summary><c>Gateway:Metrics:Enabled=false</c> takes <c>/metrics</c> away.</summary>
[TestFixture]
public sealed class MetricsDisabledTests : HostFixture
{
    protected override string[] Settings => ["--Gateway:Metrics:Enabled=false"];

    [Test]
    public async Task Metrics_Disabled_Answers404AndHealthStillAnswers()
    {
        Assert.That((await Host.GetAsync("/metrics")).Status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Host.GetAsync("/health")).Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
