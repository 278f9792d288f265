namespace Gateway.Startup;

/// <summary>
/// Runs the gateway until it is stopped; a start that fails ends with one line on stderr and exit code 78 (a bad
/// setting) or 1 (anything else), never a stack trace (that is logged at Debug).
/// </summary>
internal static class GatewayRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        WebApplication? app = null;
        try
        {
            app = await GatewayApp.BuildAsync(args).ConfigureAwait(false);
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var failure = StartupException.From(e);
            await Console.Error.WriteLineAsync(failure.Message).ConfigureAwait(false);
            if (app is not null)
            {
                StartupSteps.LogFailure(app.Services, e);
                await StopQuietlyAsync(app).ConfigureAwait(false);
            }
            return failure.ExitCode;
        }
        await app.WaitForShutdownAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        return 0;
    }

    // Kestrel may listen on some addresses already; stop them and release the database lock before the process ends.
    private static async Task StopQuietlyAsync(WebApplication app)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
        {
            // Stopping a host that never fully started may fail; disposing it below still closes what it opened.
        }
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
