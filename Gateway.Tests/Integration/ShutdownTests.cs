using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Ctrl+C and SIGTERM close every socket with 1001 and end the process with 0 within 10 s.</summary>
[TestFixture]
public sealed class ShutdownTests
{
    [TestCase(HostProcess.SigTerm)]
    [TestCase(HostProcess.SigInt)]
    public async Task Shutdown_Signal_ClosesSocketsWith1001AndExitsZero(int signal)
    {
        var workDir = Directory.CreateTempSubdirectory("gateway-proc-");
        try
        {
            await using var host = await HostProcess.StartAsync(workDir.FullName);
            using var first = await TestClient.ConnectAsync(host.WsUri);
            using var second = await TestClient.ConnectAsync(host.WsUri);
            Assert.That((await first.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
            Assert.That((await second.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));

            host.Signal(signal);

            var exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.That(exitCode, Is.Zero, host.Output);
            foreach (var client in new[] { first, second })
            {
                var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(5));
                Assert.That(closed.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            }
        }
        finally
        {
            workDir.Delete(recursive: true);
        }
    }
}
