using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>Ends expired sessions on a timer, closing their sockets, so an idle socket does not outlive its session.</summary>
public sealed partial class SessionSweeper(SessionManager sessions, TimeProvider time, IOptions<GatewayOptions> options, ILogger<SessionSweeper> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Security.SessionSweepSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await sessions.SweepAsync(stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A failed sweep is logged and retried on the next tick; it must not stop the host.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    LogSweepFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Session sweep failed; retrying on the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
