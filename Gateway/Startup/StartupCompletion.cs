using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Startup;

/// <summary>
/// The end of a start, once Kestrel listens: creates <c>admin</c> on an empty database, opens the
/// <see cref="StartupGate"/>, says where the database, the key and the listeners are, and prints a generated password
/// in a block of its own. A start that fails before listening never gets here, so it commits no admin whose password
/// nobody saw.
/// </summary>
internal sealed class StartupCompletion(
    Bootstrapper bootstrapper,
    IConfiguration configuration,
    Database database,
    MasterKey key,
    IServer server,
    StartupGate gate,
    ILogger<StartupCompletion> logger) : IHostedLifecycleService
{
    public const string AdminPasswordVariable = "GATEWAY_ADMIN_PASSWORD";

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var generated = await bootstrapper.EnsureAdminAsync(configuration[AdminPasswordVariable], cancellationToken).ConfigureAwait(false);
        gate.Open();
        var addresses = string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        StartupLog.Started(logger, database.Describe, key.FilePath ?? "from Gateway:Security:MasterKey", addresses);
        if (generated is not null)
        {
            // Straight to the console, never through the logger, so it is shown once and kept in no log file; one write,
            // so no log line lands inside the block.
            await Console.Out.WriteAsync($"""

                Created the operator 'admin' with the generated password: {generated}
                It is shown only this once. Set {AdminPasswordVariable} before the first start to choose it instead.


                """).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
