using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>RemoveAccountConfig: removes one key of the named account; 104 when it is not set.</summary>
public sealed class RemoveAccountConfigHandler(TargetLookup targets, ConfigKeys keys, ConfigWrites writes) : IHandler<AccountConfigRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RemoveAccountConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(AccountConfigRequest request, CallContext call, CancellationToken ct)
    {
        var account = await targets.AccountAsync(request.AccountId, request.AccountHandle, call, ct).ConfigureAwait(false);
        var key = ConfigKeys.CheckKey(request.Key);
        keys.EnsureMayWrite([key], mayWriteProtected: !call.Scoped);
        await writes.RemoveAsync(call.Audit, writes.OfAccount(account.AccountId), key, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
