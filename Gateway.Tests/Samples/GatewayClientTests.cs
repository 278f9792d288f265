using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Net.Sockets;
using Gateway.Client;
using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

[TestFixture]
public sealed class GatewayClientTests
{
    [Test, CancelAfter(90_000)]
    public async Task CallAsync_AfterHostRestarts_ReconnectsAndLogsInAgain(CancellationToken ct)
    {
        var dataDir = Directory.CreateTempSubdirectory("gateway-client-");
        var port = FreePort();
        string[] settings = [$"--urls=http://127.0.0.1:{port}", $"--Gateway:DatabasePath={Path.Combine(dataDir.FullName, "gateway.db")}"];
        try
        {
            var host = await TestHost.StartAsync(settings);
            await using var client = await GatewayClient.ConnectAsync(host.WsUri, new GatewayClientOptions { CallTimeout = TimeSpan.FromSeconds(30), ReconnectDelay = TimeSpan.FromMilliseconds(200) }, ct);
            await client.LoginAsync(new PasswordCredentials("admin", TestHost.AdminPassword), ct);
            var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            client.Reconnected += (_, _) => reconnected.TrySetResult();

            await host.DisposeAsync();
            host = await TestHost.StartAsync(settings);
            await using (host)
            {
                var info = await client.CallAsync("GetUserInfo", "{}", ct);

                Assert.That(info.GetProperty("UserName").GetString(), Is.EqualTo("admin"));
                Assert.That(reconnected.Task.IsCompletedSuccessfully, Is.True);
            }
        }
        finally
        {
            dataDir.Delete(recursive: true);
        }
    }

    [Test, CancelAfter(30_000)]
    public async Task CallAsync_FailedCall_ThrowsWithCodeAndDetail(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await GatewayClient.ConnectAsync(host.WsUri, ct: ct);

        var error = await Assert.ThrowsAsync<GatewayCallException>(() => client.CallAsync("GetUserInfo", "{}", ct));

        Assert.That(error!.ErrorCode, Is.EqualTo(20));
        Assert.That(error.Detail, Is.EqualTo("Not logged in"));
        Assert.That(error.Reply.I, Is.EqualTo(2));
        var unknown = await Assert.ThrowsAsync<GatewayCallException>(() => client.CallAsync("NoSuchCall", "{}", ct));
        Assert.That((unknown!.Reply.M, unknown.ErrorCode, unknown.Reply.I), Is.EqualTo((5, 106, 4L)));
    }

    [Test, CancelAfter(30_000)]
    public async Task SendAsync_NoReplyWithinTimeout_ThrowsTimeout(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await GatewayClient.ConnectAsync(host.WsUri, new GatewayClientOptions { CallTimeout = TimeSpan.FromMilliseconds(300) }, ct);

        var gate = Guid.NewGuid().ToString("N");
        await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync("TestSlow", $"{{\"Gate\":\"{gate}\"}}", ct));
        SlowHandler.Open(gate);
    }

    [Test, CancelAfter(30_000)]
    public async Task SendAsync_GatewayClosedTheSocketAndNoReconnect_FailsAtOnce(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync("--Gateway:Limits:AnonymousTimeoutSeconds=1");
        await using var client = GatewayClient.Create(host.WsUri, new GatewayClientOptions { ReconnectDelay = null });
        var closed = new TaskCompletionSource<GatewayDisconnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += (_, info) => closed.TrySetResult(info);
        await client.StartAsync(ct);

        var info = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.That(info.CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(info.CloseStatusDescription, Does.Contain("Not logged in"));
        var started = Stopwatch.StartNew();
        await Assert.ThatAsync(() => client.SendAsync("Ping", "{}", ct), Throws.InstanceOf<GatewayConnectionException>());
        Assert.That(started.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "the call waited out its deadline instead of failing");
    }

    [Test, CancelAfter(30_000)]
    public async Task ExpectReply_ChosenSequence_OwnNumberingStepsOverItAndTheRawFrameGetsItsReply(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await GatewayClient.ConnectAsync(host.WsUri, ct: ct);
        var unmatched = new System.Collections.Concurrent.ConcurrentQueue<string?>();
        client.Unmatched += (_, message) => unmatched.Enqueue(message.Text);

        var chosen = client.ExpectReply(2, ct);
        var numbered = await client.SendAsync("Ping", "{}", ct);
        client.SendRaw(TestClient.Frame(0, 2, "ping", "{}"));
        var reply = await chosen.WaitAsync(TimeSpan.FromSeconds(10), ct);

        Assert.That(numbered.I, Is.EqualTo(4));
        Assert.That(reply.Frame, Is.EqualTo("{\"m\":1,\"i\":2,\"n\":\"ping\",\"o\":\"{\\\"msg\\\":\\\"PONG\\\"}\"}"));
        Assert.That(unmatched, Is.Empty);
        Assert.That(client.MessagesReceived, Is.EqualTo(2));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
