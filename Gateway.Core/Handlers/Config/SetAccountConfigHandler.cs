using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>SetAccountConfig: stores every item of <c>Config</c> (one object or an array) or none.</summary>
public sealed class SetAccountConfigHandler(TargetLookup targets, ConfigKeys keys, ConfigWrites writes) : IHandler<AccountConfigRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "SetAccountConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(AccountConfigRequest request, CallContext call, CancellationToken ct)
    {
        var account = await targets.AccountAsync(request.AccountId, request.AccountHandle, call, ct).ConfigureAwait(false);
        var entries = keys.Parse(request.Config, "Config");
        keys.EnsureMayWrite(entries.Select(e => e.Key), mayWriteProtected: !call.Scoped);
        await writes.SetAsync(call.Audit, writes.OfAccount(account.AccountId), entries, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
