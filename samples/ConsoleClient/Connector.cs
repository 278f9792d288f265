using System.Net.WebSockets;
using Gateway.Client;

namespace ConsoleClient;

/// <summary>Connects to the gateway and logs in with whatever credentials the command line or environment gave.</summary>
internal static class Connector
{
    public static async Task<GatewayClient> ConnectAsync(CommandLine options, CancellationToken ct)
    {
        GatewayClient client;
        try
        {
            client = await GatewayClient.ConnectAsync(options.Url, new GatewayClientOptions { CallTimeout = options.Timeout }, ct).ConfigureAwait(false);
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
}
