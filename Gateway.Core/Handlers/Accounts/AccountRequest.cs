using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Accounts;

/// <summary><c>{"OMSId","AccountId"}</c>.</summary>
public sealed class AccountRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }

    /// <summary>The account; absent or 0 means not given.</summary>
    public int? AccountId { get; set; }
}
