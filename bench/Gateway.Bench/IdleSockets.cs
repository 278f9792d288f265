using System.Globalization;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>RSS per idle authenticated socket: the gateway's resident memory before and after that many logged-in sockets sit open.</summary>
internal static class IdleSockets
{
    private const int SocketsPerUser = 20;

    public static async Task RunAsync(BenchOptions options, CancellationToken ct)
    {
        OpenFiles.EnsureAtLeast(options.IdleSockets + 1024);
        // Hundreds of logins from one address, twenty sockets a user: the limits raised as for every other mode.
        string[] settings = [.. BenchSettings.RaisedLimits, $"Gateway:Limits:MaxOpenSockets={options.IdleSockets + 100}", .. options.Settings];
        await using var gateway = await ServerProcess.StartGatewayAsync(settings);
        var tokens = new List<string>();
        using (var users = await BenchUsers.AsAdminAsync(gateway.Url, ct))
        {
            for (var u = 0; u < (options.IdleSockets + SocketsPerUser - 1) / SocketsPerUser; u++)
            {
                await users.CreateAsync($"idle-{u}", ct);
                tokens.Add(await users.LoginAsync($"idle-{u}", ct));
            }
        }

        var before = await SettledRssAsync(gateway, ct);
        var sockets = new List<BenchSocket>(options.IdleSockets);
        for (var s = 0; s < options.IdleSockets; s++)
        {
            var socket = await BenchSocket.ConnectAsync(gateway.Url, ct);
            var resumed = await socket.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = tokens[s / SocketsPerUser] }), ct);
            if (!resumed.Contains("\"Authenticated\":true", StringComparison.Ordinal))
                throw new InvalidOperationException($"idle socket {s} was refused: {resumed}");
            sockets.Add(socket);
        }
        var after = await SettledRssAsync(gateway, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"IDLE {options.IdleSockets} authenticated sockets: gateway RSS {before / 1048576.0:0.0} MiB -> {after / 1048576.0:0.0} MiB, {(after - before) / 1024.0 / options.IdleSockets:0.0} KiB per socket"));
        foreach (var socket in sockets)
            socket.Dispose();
    }

    // RSS after it stops moving (the runtime trims its heap a little after a burst of work).
    private static async Task<long> SettledRssAsync(ServerProcess gateway, CancellationToken ct)
    {
        var last = gateway.RssBytes;
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = gateway.RssBytes;
            if (Math.Abs(now - last) < 256 * 1024)
                return now;
            last = now;
        }
        return last;
    }
}
