using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Health;
using Gateway.Core.Protocol;
using Gateway.Sockets;
using NLog;
using NLog.Extensions.Logging;

namespace Gateway;

/// <summary>Builds the gateway's web application: configuration, logging, services and endpoints.</summary>
public static class GatewayApp
{
    /// <summary>Builds the host; <paramref name="addHandlers"/> lets tests register extra calls before the table freezes.</summary>
    public static WebApplication Build(string[] args, Action<HandlerRegistryBuilder>? addHandlers = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = FindContentRoot(),
        });

        AddLogging(builder);
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<GatewayStatus>();
        builder.Services.AddSingleton<ICallAuthorizer, PublicOnlyAuthorizer>();
        builder.Services.AddSingleton<Dispatcher>();
        builder.Services.AddSingleton<SocketEndpoint>();

        var handlers = HandlerCatalog.Create();
        addHandlers?.Invoke(handlers);
        builder.Services.AddSingleton(services => handlers.Freeze(services));

        var app = builder.Build();
        // Freeze the call table now, so a duplicate name or a missing dependency stops start-up before listening.
        app.Services.GetRequiredService<HandlerRegistry>();

        app.UseWebSockets();
        app.Map("/WSGateway", (HttpContext context, SocketEndpoint sockets) => sockets.HandleAsync(context));
        app.MapGet("/health", (GatewayStatus status) => Results.Json(status.Report(), GatewayJson.Context.HealthReport));
        return app;
    }

    private static void AddLogging(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("NLog");
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
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
