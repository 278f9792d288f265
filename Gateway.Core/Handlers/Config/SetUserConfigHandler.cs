using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>SetUserConfig: stores every item of <c>Config</c> or none; no user named is the caller.</summary>
public sealed class SetUserConfigHandler(TargetLookup targets, ConfigKeys keys, ConfigWrites writes) : IHandler<UserConfigRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "SetUserConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(UserConfigRequest request, CallContext call, CancellationToken ct)
    {
        var user = await targets.UserAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        var entries = keys.Parse(request.Config, "Config");
        keys.EnsureMayWrite(entries.Select(e => e.Key), mayWriteProtected: !call.Scoped);
        await writes.SetAsync(call.Audit, writes.OfUser(user.UserId), entries, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
