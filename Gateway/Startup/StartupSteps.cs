using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using NLog.Extensions.Logging;

namespace Gateway.Startup;

/// <summary>
/// The steps of a start after the settings are checked and before listening, in their order, each failure turned into
/// a one-line <see cref="StartupException"/>: the database file checked, its lock taken, the key loaded (or created),
/// the database created or opened and migrated, the call table frozen.
/// </summary>
internal static class StartupSteps
{
    /// <summary>Registers the start's own services: the lock's holder, the gate, and the end of the start after listening.</summary>
    public static void AddTo(WebApplicationBuilder builder)
    {
        var gate = new StartupGate();
        builder.Services.AddSingleton(gate);
        builder.Services.AddSingleton<LockHolder>();
        builder.Services.AddHostedService<StartupCompletion>();
        // A failed start is reported by the runner in one line; the host's own "Hosting failed to start" error carries
        // the stack trace, so until the start is complete it is left out (the runner logs the exception at Debug).
        builder.Logging.AddFilter<NLogLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", level => level < LogLevel.Error || gate.IsOpen);
    }

    /// <summary>Runs the steps before listening; disposes the app (releasing the lock) when one fails.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        var database = app.Services.GetRequiredService<Database>();
        try
        {
            // One gateway per SQLite file; PostgreSQL is shared by design (its writers queue on the database's own lock).
            if (database.Provider == DatabaseProvider.Sqlite)
                app.Services.GetRequiredService<LockHolder>().Held = await HoldAsync(database.Path).ConfigureAwait(false);
            else
                database.EnsureDataFolder();
            LoadKey(app.Services);
            await OpenAsync(app.Services, database).ConfigureAwait(false);
            // Frozen now, so a duplicate name or a missing dependency stops the start before listening.
            app.Services.GetRequiredService<HandlerRegistry>();
        }
        catch (Exception e)
        {
            LogFailure(app.Services, e);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Logs the full exception of a failed start at Debug; the one line on stderr is the runner's.</summary>
    public static void LogFailure(IServiceProvider services, Exception error)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Startup");
        StartupLog.Failed(logger, error);
    }

    // A file that is not a SQLite database is refused before the lock file, the key or anything else is written beside it.
    private static async Task<DatabaseLock> HoldAsync(string databasePath)
    {
        try
        {
            DatabaseFile.Check(databasePath);
            return await DatabaseLock.AcquireAsync(databasePath, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupException.Failure, e.Message, e);
        }
    }

    private static void LoadKey(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<MasterKey>();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupException.Failure, e.Message, e);
        }
    }

    private static async Task OpenAsync(IServiceProvider services, Database database)
    {
        try
        {
            await services.GetRequiredService<DbWriter>().OpenAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (database.Dialect.IsEngineError(e) || e is IOException or UnauthorizedAccessException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StartupException(StartupException.Failure, $"database {database.Describe} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>
    /// Holds the database's lock for the host's life: created by the container before the writer, so disposing the host
    /// closes the writer first and releases the lock last.
    /// </summary>
    internal sealed class LockHolder : IDisposable
    {
        public DatabaseLock? Held { get; set; }

        public void Dispose() => Held?.Dispose();
    }
}
