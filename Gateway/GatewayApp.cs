using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Health;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Gateway.Http;
using Gateway.Core.Sessions;
using Gateway.Sockets;
using Gateway.Startup;
using Microsoft.Data.Sqlite;
using NLog;
using NLog.Extensions.Logging;

namespace Gateway;

/// <summary>Builds the gateway's web application: configuration, logging, services and endpoints.</summary>
public static class GatewayApp
{
    /// <summary>
    /// Builds the host in the order a start must keep: every setting checked (exit 78) before anything is created; the
    /// database file checked, then its lock taken, before anything is written beside it; the key loaded (or created),
    /// then the database created or opened and migrated, all before listening. <c>admin</c> is created only once the host listens
    /// (<see cref="StartupCompletion"/>). Each failure is a <see cref="StartupException"/> naming the setting, path or
    /// address. <paramref name="addHandlers"/> lets tests register extra calls, <paramref name="configureServices"/>
    /// replace services.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<HandlerRegistryBuilder>? addHandlers = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = CreateBuilder(args);
        SettingsCheck.Validate(builder.Configuration);
        var databasePath = Database.Resolve(builder.Configuration[$"{GatewayOptions.Section}:DatabasePath"] ?? new GatewayOptions().DatabasePath,
            builder.Environment.ContentRootPath);
        var held = await HoldDatabaseAsync(databasePath).ConfigureAwait(false);
        var gate = new StartupGate();
        WebApplication app;
        try
        {
            AddLogging(builder);
            // A failed start is reported by the runner in one line; the host's own "Hosting failed to start" error carries
            // the stack trace, so until the start is complete it is left out (the runner logs the exception at Debug).
            builder.Logging.AddFilter<NLogLoggerProvider>("Microsoft.Extensions.Hosting.Internal.Host", level => level < Microsoft.Extensions.Logging.LogLevel.Error || gate.IsOpen);
            // Created by the container, so disposing the host releases the lock after the writer has closed.
            builder.Services.AddSingleton(_ => held);
            builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
            var handlers = HandlerCatalog.Create();
            addHandlers?.Invoke(handlers);
            builder.Services.AddGatewayCore(handlers, builder.Environment.ContentRootPath);
            builder.Services.AddSingleton<SocketEndpoint>();
            builder.Services.AddSingleton<UserSockets>();
            builder.Services.AddSingleton<CallEndpoint>();
            builder.Services.AddSingleton<AccountUsersEndpoint>();
            builder.Services.AddSingleton(gate);
            builder.Services.AddHostedService<StartupCompletion>();
            configureServices?.Invoke(builder.Services);
            app = builder.Build();
        }
        catch
        {
            held.Dispose();
            throw;
        }

        try
        {
            app.Services.GetRequiredService<DatabaseLock>();
            LoadKey(app);
            await OpenDatabaseAsync(app, databasePath).ConfigureAwait(false);
            // Freeze the call table now, so a duplicate name or a missing dependency stops start-up before listening.
            app.Services.GetRequiredService<HandlerRegistry>();
        }
        catch (Exception e)
        {
            LogStartupFailure(app.Services, e);
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        app.Use(gate.PassAsync);
        app.UseWebSockets();
        app.Map("/WSGateway", (HttpContext context, SocketEndpoint sockets) => sockets.HandleAsync(context));
        app.MapMethods("/AP/{name}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context, string name, CallEndpoint calls) => calls.HandleAsync(context, name));
        app.MapPost("/accounts/{accountId}/accountUsers", (HttpContext context, string accountId, AccountUsersEndpoint users) => users.CreateAsync(context, accountId));
        app.MapGet("/accounts/{accountId}/accountUsers", (HttpContext context, string accountId, AccountUsersEndpoint users) => users.ListAsync(context, accountId));
        app.MapGet("/accounts/{accountId}/accountUsers/{id:long}", (HttpContext context, string accountId, long id, AccountUsersEndpoint users) => users.ListAsync(context, accountId, id));
        app.MapGet("/health", async (GatewayStatus status, CancellationToken ct) =>
        {
            var report = await status.ReportAsync(ct).ConfigureAwait(false);
            return Results.Json(report, HandlerJson.Context.HealthReport, statusCode: report.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    /// <summary>The builder with the gateway's configuration sources (appsettings.json, environment, command line), shared with the admin command line.</summary>
    internal static WebApplicationBuilder CreateBuilder(string[] args) => WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = FindContentRoot(),
    });

    /// <summary>Logs the full exception of a failed start at Debug; the one line on stderr is the runner's.</summary>
    internal static void LogStartupFailure(IServiceProvider services, Exception error)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Startup");
        StartupLog.Failed(logger, error);
    }

    // A file that is not a SQLite database is refused before the lock file, the key or anything else is written beside it.
    private static async Task<DatabaseLock> HoldDatabaseAsync(string databasePath)
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

    private static async Task OpenDatabaseAsync(WebApplication app, string databasePath)
    {
        try
        {
            await app.Services.GetRequiredService<DbWriter>().OpenAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new StartupException(StartupException.Failure, $"database {databasePath} cannot be opened: {e.Message}", e);
        }
    }

    private static void LoadKey(WebApplication app)
    {
        try
        {
            app.Services.GetRequiredService<MasterKey>();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new StartupException(StartupException.Failure, e.Message, e);
        }
    }

    private static void AddLogging(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("NLog");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
        // ASP.NET's request lines carry the query string, and GET /AP/AuthenticateUser?Password=... is a valid call:
        // no provider may receive them, so no password or token reaches a log through a URL.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", Microsoft.Extensions.Logging.LogLevel.Warning);
        // A LogFactory of its own per host keeps NLog's rules out of global state, so several hosts can run in one process.
        builder.Logging.AddNLog(new NLogProviderOptions { RemoveLoggerFactoryFilter = true, ShutdownOnDispose = true },
            _ =>
            {
                var factory = new LogFactory();
                factory.Configuration = new NLogLoggingConfiguration(section, factory);
                return factory;
            });
    }

    // The repository's appsettings.json when run from the repository (dotnet run --project Gateway);
    // otherwise the copy beside the binaries.
    private static string FindContentRoot() =>
        File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? Directory.GetCurrentDirectory()
            : AppContext.BaseDirectory;
}
