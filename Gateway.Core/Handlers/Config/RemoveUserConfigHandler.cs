using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>RemoveUserConfig: removes one key; 104 when it is not set; no user named is the caller.</summary>
public sealed class RemoveUserConfigHandler(TargetLookup targets, ConfigKeys keys, ConfigWrites writes) : IHandler<UserConfigRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RemoveUserConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(UserConfigRequest request, CallContext call, CancellationToken ct)
    {
        var user = await targets.UserAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        var key = ConfigKeys.CheckKey(request.Key);
        keys.EnsureMayWrite([key], mayWriteProtected: !call.Scoped);
        await writes.RemoveAsync(call.Audit, writes.OfUser(user.UserId), key, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
