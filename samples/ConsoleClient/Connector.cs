using Gateway.Client;

namespace ConsoleClient;

/// <summary>Connects to the gateway and logs in with whatever credentials the command line or environment gave.</summary>
internal static class Connector
{
    public static async Task<GatewayClient> ConnectAsync(CommandLine options, CancellationToken ct)
    {
        var client = await GatewayClient.ConnectAsync(options.Url, new GatewayClientOptions { CallTimeout = options.Timeout, DryRun = options.DryRun }, ct).ConfigureAwait(false);
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
