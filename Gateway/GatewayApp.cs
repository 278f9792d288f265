using System.Globalization;
using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Health;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Gateway.Http;
using Gateway.Observability;
using Gateway.Sockets;
using Gateway.Startup;
using Microsoft.Extensions.Options;
using NLog;
using NLog.Extensions.Logging;

namespace Gateway;

/// <summary>Builds the gateway's web application: configuration, logging, services and endpoints.</summary>
public static class GatewayApp
{
    /// <summary>
    /// Builds the host and prepares it before it listens, in the order <see cref="StartupSteps"/> keeps (settings, then
    /// lock, key, database); <c>admin</c> is created once it listens. A failure is a one-line <see cref="StartupException"/>.
    /// <paramref name="addHandlers"/> lets tests register extra calls, <paramref name="configureServices"/> replace services.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<HandlerRegistryBuilder>? addHandlers = null,
        Action<IServiceCollection>? configureServices = null)
    {
        // ICU is loaded for Unicode normalization of user names, not for formatting: numbers and times stay culture-free,
        // as they were in invariant mode, whatever LANG the machine has.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        var builder = CreateBuilder(args);
        // Before anything is created or bound.
        SettingsCheck.Validate(builder.Configuration);

        AddLogging(builder);
        StartupSteps.AddTo(builder);
        builder.AddObservability();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        var handlers = HandlerCatalog.Create();
        addHandlers?.Invoke(handlers);
        // A relative Gateway:DatabasePath is the operator's, like any path given to a command: against the working directory.
        builder.Services.AddGatewayCore(handlers, Directory.GetCurrentDirectory());
        builder.Services.AddSingleton<SocketEndpoint>();
        builder.Services.AddSingleton<UserSockets>();
        builder.Services.AddSingleton<CallEndpoint>();
        builder.Services.AddSingleton<AccountUsersEndpoint>();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        await StartupSteps.PrepareAsync(app).ConfigureAwait(false);

        app.Use(app.Services.GetRequiredService<StartupGate>().PassAsync);
        app.UseObservability();
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.Limits.CoalesceReplies)
            app.UseWhen(context => context.Request.Path == "/WSGateway", socket => socket.Use(CoalescingUpgrade.InstallAsync));
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
                var configuration = new NLogLoggingConfiguration(section, factory);
                if (builder.Configuration.GetValue<bool>(JsonConsole.Setting))
                    JsonConsole.Apply(configuration);
                factory.Configuration = configuration;
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
