using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Gateway.Client;
using Gateway.Tests.Events;
using Gateway.Tests.Support;

namespace Gateway.Tests.Samples;

/// <summary>The client library's event feed across a reconnect, and the console's <c>watch</c> run as a process.</summary>
[TestFixture]
public sealed class EventClientTests
{
    [Test, CancelAfter(90_000)]
    public async Task SubscribeUserEventsAsync_AcrossAHostRestart_DeliversEveryEventOnceInOrder(CancellationToken ct)
    {
        var dataDir = Directory.CreateTempSubdirectory("gateway-events-");
        var port = FreePort();
        string[] settings = [$"--urls=http://127.0.0.1:{port}", $"--Gateway:DatabasePath={Path.Combine(dataDir.FullName, "gateway.db")}"];
        try
        {
            var host = await TestHost.StartAsync(settings);
            int userId;
            using (var admin = await host.ConnectAdminAsync())
                userId = await admin.CreateUserAsync("feed-" + Guid.NewGuid().ToString("N")[..8]);
            await using var client = await GatewayClient.ConnectAsync(host.WsUri, new GatewayClientOptions { CallTimeout = TimeSpan.FromSeconds(30), ReconnectDelay = TimeSpan.FromMilliseconds(200) }, ct);
            await client.LoginAsync(new PasswordCredentials("admin", TestHost.AdminPassword), ct);
            var seen = new ConcurrentQueue<long>();
            await using var feed = await client.SubscribeUserEventsAsync(e => seen.Enqueue(e.Payload.GetProperty("Sequence").GetInt64()), userId: userId, ct: ct);
            using (var admin = await host.ConnectAdminAsync())
                await EventStreamTests.ToggleAsync(admin, userId, "AccountReadOnly", 3);
            await Poll.UntilAsync(() => seen.Count == 3, TimeSpan.FromSeconds(15), "the first 3 events did not arrive", ct);

            await host.DisposeAsync();
            host = await TestHost.StartAsync(settings);
            await using (host)
            {
                using (var admin = await host.ConnectAdminAsync())
                    await EventStreamTests.ToggleAsync(admin, userId, "Deposit", 5);
                await Poll.UntilAsync(() => seen.Count >= 8, TimeSpan.FromSeconds(30), "the 5 events made across the restart did not arrive", ct);
                await client.CallAsync("Ping", "{}", ct);

                var sequences = seen.ToList();
                Assert.That(sequences, Has.Count.EqualTo(8), string.Join(",", sequences));
                Assert.That(sequences, Is.Ordered.Ascending);
                Assert.That(sequences, Is.Unique);
                Assert.That(feed.LastSequence, Is.EqualTo(sequences[^1]));
            }
        }
        finally
        {
            dataDir.Delete(recursive: true);
        }
    }

    [Test, CancelAfter(90_000)]
    public async Task ConsoleWatch_ScriptedChanges_PrintsOneLinePerEventUntilCtrlC(CancellationToken ct)
    {
        await using var host = await TestHost.StartAsync();
        using var admin = await host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("watched-" + Guid.NewGuid().ToString("N")[..8]);
        using var process = ConsoleProcess.Start(host, ["watch", $"{userId}"], ConsoleProcess.AsAdmin());
        var started = await process.StandardError.ReadLineAsync(ct);
        Assert.That(started, Does.StartWith($"watching the events of user {userId} after Sequence "));
        var stderr = process.StandardError.ReadToEndAsync(ct);

        await admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");
        await admin.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Email\":\"w@example.com\"}}");
        var first = await process.StandardOutput.ReadLineAsync(ct);
        var second = await process.StandardOutput.ReadLineAsync(ct);
        PosixSignals.Send(process.Id, PosixSignals.SigInt);
        var result = await ConsoleProcess.FinishAsync(process, process.StandardOutput.ReadToEndAsync(ct), stderr);

        Assert.That(first, Does.Match(EventLine("UserPermissionsEvent")));
        Assert.That(first, Does.Contain("\"Permissions\":[\"AccountReadOnly\",\"Deposit\",\"Trading\",\"Withdraw\"]"));
        Assert.That(second, Does.Match(EventLine("UserInfoEvent")));
        Assert.That(second, Does.Contain("\"Email\":\"w@example.com\""));
        Assert.That(result.ExitCode, Is.EqualTo(130), result.ToString());
        Assert.That(result.Stdout.Trim(), Is.Empty, "a line beyond the two events");
    }

    private static string EventLine(string name) => $"^[0-9]+ {name} \\{{\"Sequence\":[0-9]+,\"PrevSequence\":[0-9]+,\"UserId\":[0-9]+,";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
