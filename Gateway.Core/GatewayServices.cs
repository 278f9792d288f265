using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Permissions;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Health;
using Gateway.Core.Safety;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core;

/// <summary>Registers the gateway's own services; the host adds the transports.</summary>
public static class GatewayServices
{
    /// <summary>
    /// Adds storage, sessions, the dispatcher and the frozen handler table built from <paramref name="handlers"/>;
    /// a relative <c>Gateway:DatabasePath</c> is resolved against <paramref name="baseDirectory"/>.
    /// </summary>
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, HandlerRegistryBuilder handlers, string baseDirectory)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<SecurityEvents>();
        services.AddSingleton(sp => Open(sp.GetRequiredService<IOptions<GatewayOptions>>().Value, baseDirectory));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CommitFeed>();
        services.AddSingleton<Events.EventHub>();
        services.AddSingleton<Events.EventReplay>();
        services.AddSingleton<DbWriter>();
        services.AddSingleton<ReadCache>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<PermissionStore>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<AccountStore>();
        services.AddSingleton<UserAccountStore>();
        services.AddSingleton<AccountUserStore>();
        services.AddSingleton<AffiliateTagStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<Bootstrapper>();
        services.AddSingleton<Resources.AccountUsersResource>();

        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<MasterKey>();
        services.AddSingleton<SessionManager>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PasswordGate>();
        services.AddSingleton<SessionCap>();
        services.AddSingleton<LoginService>();
        services.AddSingleton<ICallAuthorizer, SessionAuthorizer>();
        services.AddHostedService<SessionSweeper>();
        services.AddHostedService<Cluster.ChangeListener>();

        services.AddSingleton<PublicCallThrottle>();
        services.AddSingleton<Handlers.Registration.SelfRegistration>();
        services.AddSingleton<PasswordResetStore>();
        services.AddSingleton<Handlers.PasswordReset.ResetCodeGuard>();
        services.AddSingleton<Handlers.PasswordReset.ResetMails>();
        services.AddSingleton<Mail.MailOutbox>();
        services.AddHostedService(sp => sp.GetRequiredService<Mail.MailOutbox>());

        services.AddSingleton<UserLookup>();
        services.AddSingleton<Handlers.TargetLookup>();
        services.AddSingleton<Handlers.Listing>();
        services.AddSingleton<Handlers.Config.ConfigKeys>();
        services.AddSingleton<Handlers.Config.ConfigWrites>();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<PermissionChanges>();
        services.AddSingleton(handlers);
        services.AddSingleton<PermissionCatalog>();
        services.AddSingleton<GatewayStatus>();
        services.AddSingleton<ClientRequestStore>();
        services.AddSingleton<ReplySeal>();
        services.AddSingleton<RequestSafety>();
        services.AddHostedService<ClientRequestSweeper>();
        services.AddSingleton<Dispatcher>();
        services.AddSingleton(sp => handlers.Freeze(sp));
        return services;
    }

    // The file at DatabasePath, or PostgreSQL; with PostgreSQL, DatabasePath's folder still holds this node's key file.
    private static Database Open(GatewayOptions options, string baseDirectory)
    {
        var path = Database.Resolve(options.DatabasePath, baseDirectory);
        return options.Database.Provider == DatabaseProvider.Postgres
            ? Database.Postgres(options.Database.ConnectionString!, path)
            : new Database(path);
    }
}
