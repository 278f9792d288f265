using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Accounts;

/// <summary><c>{"OMSId","StartIndex","Limit","RequestedKeys","Search"}</c>.</summary>
public sealed class GetAccountsRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>The lowest AccountId to return; absent or 0 is the first.</summary>
    public int? StartIndex { get; set; }
    /// <summary>Rows at most; absent or 0 is 100.</summary>
    public int? Limit { get; set; }
    /// <summary>Only accounts where each named field is non-empty: <c>FirmId</c>, <c>FirmName</c>, <c>fsRegId</c> (= FirmId).</summary>
    public IReadOnlyList<string?>? RequestedKeys { get; set; }
    /// <summary>Literal text AccountName or AccountHandle contains, ignoring case.</summary>
    public string? Search { get; set; }
}
