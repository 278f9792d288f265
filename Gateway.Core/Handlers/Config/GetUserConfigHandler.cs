using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>GetUserConfig: the user's config as <c>[{"Key","Value"}]</c>, sorted by key ignoring case; <c>{}</c> is the caller.</summary>
public sealed class GetUserConfigHandler(TargetLookup targets, ConfigStore config) : IHandler<UserConfigRequest, IReadOnlyList<ConfigEntry>>
{
    /// <inheritdoc />
    public static string Name => "GetUserConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ConfigEntry>> HandleAsync(UserConfigRequest request, CallContext call, CancellationToken ct)
    {
        var user = await targets.UserAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        return await config.ListAsync(ConfigStore.Owner.User, user.UserId, ct).ConfigureAwait(false);
    }
}
