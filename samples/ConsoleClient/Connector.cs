using System.Net.WebSockets;
using Gateway.Client;

namespace ConsoleClient;

/// <summary>Connects to the gateway and logs in with whatever credentials the command line or environment gave.</summary>
internal static class Connector
{
    // The longest a log-out at exit may hold the program up.
    private static readonly TimeSpan LogOutDeadline = TimeSpan.FromSeconds(5);

    public static async Task<GatewayClient> ConnectAsync(CommandLine options, CancellationToken ct)
    {
        GatewayClient client;
        try
        {
            client = await GatewayClient.ConnectAsync(options.Url, new GatewayClientOptions { CallTimeout = options.Timeout, DryRun = options.DryRun }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or IOException or Websocket.Client.Exceptions.WebsocketException)
        {
            var reason = e is TimeoutException ? $"no answer within {options.Timeout.TotalSeconds:0.#} s" : e.GetBaseException().Message;
            throw new GatewayConnectionException($"cannot connect to {options.Url}: {reason}", e);
        }
        try
        {
            Credentials? credentials = options switch
            {
                { ApiKey: { } key, Secret: { } secret, UserId: { } userId } => new ApiKeyCredentials(key, secret, userId),
                { User: { } user, Password: { } password } => new PasswordCredentials(user, password),
                _ => null,
            };
            if (credentials is not null)
                await client.LoginAsync(credentials, ct).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends <c>LogOut</c> when disposed if the client logged in, so no session outlives the program.</summary>
    public static IAsyncDisposable LogOutOnExit(GatewayClient client, TimeSpan timeout) =>
        new LogOut(client, timeout < LogOutDeadline ? timeout : LogOutDeadline);

    private sealed class LogOut(GatewayClient client, TimeSpan timeout) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (client.SessionToken is null)
                return;
            // A deadline of its own: after Ctrl+C the program's token is already cancelled, and the session should still end.
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await client.SendAsync("LogOut", "{}", deadline.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException or GatewayConnectionException or WebSocketException)
            {
                // The connection is gone or the gateway is not answering; the session then ends when it times out.
            }
        }
    }
}
