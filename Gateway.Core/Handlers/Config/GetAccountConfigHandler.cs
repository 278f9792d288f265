using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Config;

/// <summary>GetAccountConfig: the account's config as <c>[{"Key","Value"}]</c>; the account must be named.</summary>
public sealed class GetAccountConfigHandler(TargetLookup targets, ConfigStore config) : IHandler<AccountConfigRequest, IReadOnlyList<ConfigEntry>>
{
    /// <inheritdoc />
    public static string Name => "GetAccountConfig";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ConfigEntry>> HandleAsync(AccountConfigRequest request, CallContext call, CancellationToken ct)
    {
        var account = await targets.AccountAsync(request.AccountId, request.AccountHandle, call, ct).ConfigureAwait(false);
        return await config.ListAsync(ConfigStore.Owner.Account, account.AccountId, ct).ConfigureAwait(false);
    }
}
