using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Permissions;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Health;
using Gateway.Core.Safety;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core;

/// <summary>Registers the gateway's own services; the host adds the transports.</summary>
public static class GatewayServices
{
    /// <summary>Adds storage, sessions, the dispatcher and the frozen handler table built from <paramref name="handlers"/>.</summary>
    public static IServiceCollection AddGatewayCore(this IServiceCollection services, HandlerRegistryBuilder handlers, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var path = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.DatabasePath;
            return new Database(Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path));
        });
        services.AddSingleton<AuditLog>();
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
        services.AddSingleton<LoginService>();
        services.AddSingleton<ICallAuthorizer, SessionAuthorizer>();
        services.AddHostedService<SessionSweeper>();

        services.AddSingleton<UserLookup>();
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
}
