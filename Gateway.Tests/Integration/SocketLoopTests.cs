using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>The socket loop: pipelining, no starvation, message size limit, endpoint paths.</summary>
[TestFixture]
public sealed class SocketLoopTests : HostFixture
{
    [Test]
    public async Task Socket_2000PipelinedPings_EachAnsweredOnceWithItsOwnI()
    {
        using var client = await Host.ConnectAsync();
        var replies = Enumerable.Range(1, 2000).Select(i => client.CallAsync("Ping", timeout: TimeSpan.FromSeconds(30))).ToList();
        var frames = await Task.WhenAll(replies);
        Assert.That(frames.Select(f => f.I), Is.EqualTo(Enumerable.Range(1, 2000).Select(i => 2L * i)));
        Assert.That(frames.All(f => f.M == 1 && f.O == "{\"msg\":\"PONG\"}"), Is.True);
        Assert.That(client.ReceivedCount, Is.EqualTo(2000));
    }

    [Test]
    public async Task Socket_20SocketsWith200PingsEach_EachAnsweredOnce()
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Host.ConnectAsync()));
        try
        {
            var perSocket = clients.Select(c => Task.WhenAll(Enumerable.Range(0, 200).Select(_ => c.CallAsync("Ping", timeout: TimeSpan.FromSeconds(30))))).ToList();
            var results = await Task.WhenAll(perSocket);
            foreach (var (frames, client) in results.Zip(clients))
            {
                Assert.That(frames.Select(f => f.I).Order(), Is.EqualTo(Enumerable.Range(1, 200).Select(i => 2L * i)));
                Assert.That(client.ReceivedCount, Is.EqualTo(200));
            }
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }

    [Test]
    public async Task Socket_SlowCall_DoesNotDelayPingBehindIt()
    {
        using var client = await Host.ConnectAsync();
        var gate = Guid.NewGuid().ToString("N");
        var slow = client.CallAsync("TestSlow", $"{{\"Gate\":\"{gate}\"}}");
        var ping = await client.CallAsync("Ping");
        Assert.That(ping.O, Is.EqualTo("{\"msg\":\"PONG\"}"));
        Assert.That(slow.IsCompleted, Is.False, "the slow call answered before its gate opened");
        SlowHandler.Open(gate);
        Assert.That((await slow).O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
    }

    [Test]
    public async Task Socket_MessageOverLimit_ClosesWith1009AndOthersKeepWorking()
    {
        using var bystander = await Host.ConnectAsync();
        using var offender = await Host.ConnectAsync();
        var payload = "{\"pad\":\"" + new string('x', 70 * 1024) + "\"}";
        offender.Send(TestClient.Frame(0, 2, "Ping", payload));
        var closed = await offender.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        Assert.That((await bystander.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [Test]
    public async Task Socket_MessageJustUnderLimit_IsServed()
    {
        using var client = await Host.ConnectAsync();
        // Many strings within the string limit, together just under the message limit.
        var payload = "{\"pad\":[" + string.Join(",", Enumerable.Repeat("\"" + new string('x', 250) + "\"", 240)) + "]}";
        Assert.That((await client.CallAsync("Ping", payload)).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [TestCase("/WSGateway")]
    [TestCase("/wsgateway")]
    [TestCase("/wsgateway/")]
    [TestCase("/WSGATEWAY/")]
    public async Task Endpoint_PathInAnyCaseWithOrWithoutSlash_Serves(string path)
    {
        using var client = await Host.ConnectAsync(path);
        Assert.That((await client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [Test]
    public async Task Health_Get_Answers200Json()
    {
        using var http = new HttpClient { BaseAddress = Host.HttpUri, Timeout = TestClient.DefaultTimeout };
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("{\"detail\":\"ok\",\"UptimeSeconds\":"));
    }

    [Test]
    public async Task Endpoint_PlainHttpGet_Answers400()
    {
        using var http = new HttpClient { BaseAddress = Host.HttpUri, Timeout = TestClient.DefaultTimeout };
        using var response = await http.GetAsync(new Uri("/WSGateway", UriKind.Relative));
        Assert.That((int)response.StatusCode, Is.EqualTo(400));
    }
}
