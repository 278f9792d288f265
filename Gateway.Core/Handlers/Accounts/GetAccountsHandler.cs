using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>GetAccounts: a page of account objects by ascending AccountId; the operators' listing of every account.</summary>
public sealed class GetAccountsHandler(AccountStore accounts, Listing listing) : IHandler<GetAccountsRequest, IReadOnlyList<AccountInfo>>
{
    /// <summary>The page size when the request gives none.</summary>
    public const int DefaultLimit = 100;

    /// <inheritdoc />
    public static string Name => "GetAccounts";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AccountInfo>> HandleAsync(GetAccountsRequest request, CallContext call, CancellationToken ct)
    {
        var (start, limit) = listing.Page(request.StartIndex, request.Limit, DefaultLimit);
        var (firmId, firmName) = (false, false);
        foreach (var key in request.RequestedKeys ?? [])
        {
            if (string.Equals(key, "FirmId", StringComparison.OrdinalIgnoreCase) || string.Equals(key, "fsRegId", StringComparison.OrdinalIgnoreCase))
                firmId = true;
            else if (string.Equals(key, "FirmName", StringComparison.OrdinalIgnoreCase))
                firmName = true;
            else
                throw new GatewayException(ErrorCode.InvalidRequest, "RequestedKeys may name only FirmId, FirmName, fsRegId");
        }
        var filter = new AccountFilter(start, limit) { Needle = Listing.Search(request.Search), NeedFirmId = firmId, NeedFirmName = firmName };
        return [.. (await accounts.ListAsync(filter, ct).ConfigureAwait(false)).Select(AccountInfo.From)];
    }
}
