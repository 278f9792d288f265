using System.Net;
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
