using Gateway.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Safety;

/// <summary>Deletes stored replies older than <see cref="SafetyOptions.ClientRequestIdHours"/> on a timer, as the session sweeper does for sessions.</summary>
public sealed class ClientRequestSweeper(DbWriter writer, TimeProvider time, IOptions<GatewayOptions> options, ILogger<ClientRequestSweeper> logger) : BackgroundService
{
    /// <summary>Deletes what is past its retention now; the number of replies deleted.</summary>
    public Task<int> SweepAsync(CancellationToken ct)
    {
        var before = time.GetUtcNow() - TimeSpan.FromHours(options.Value.Safety.ClientRequestIdHours);
        return writer.WriteUnauditedAsync(tx => ClientRequestStore.SweepAsync(tx, before), ct);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.Safety.ClientRequestSweepMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var swept = await SweepAsync(stoppingToken).ConfigureAwait(false);
                    SafetyLog.Swept(logger, swept, options.Value.Safety.ClientRequestIdHours);
                }
#pragma warning disable CA1031 // A failed sweep is logged and retried on the next tick; it must not stop the host.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    SafetyLog.SweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
