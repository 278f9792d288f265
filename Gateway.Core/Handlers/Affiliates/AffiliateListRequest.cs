using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>
/// GetUserAffiliates <c>{"OMSId","UserId"}</c> or <c>{"UserName"}</c>, and GetRecentAffiliateRegistrations
/// <c>{"OMSId","UserId"}</c> or <c>{"Tag"}</c> with <c>StartDate</c>/<c>EndDate</c>; both page with StartIndex and Limit.
/// </summary>
public sealed class AffiliateListRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>The affiliate (the referrer); absent or 0 means not given.</summary>
    public int? UserId { get; set; }
    /// <summary>GetUserAffiliates: the affiliate by name.</summary>
    public string? UserName { get; set; }
    /// <summary>GetRecentAffiliateRegistrations: the affiliate by the tag it holds now.</summary>
    public string? Tag { get; set; }
    /// <summary>GetRecentAffiliateRegistrations: registered at or after; not given is EndDate minus 30 days.</summary>
    public JsonElement? StartDate { get; set; }
    /// <summary>GetRecentAffiliateRegistrations: registered before; not given is now.</summary>
    public JsonElement? EndDate { get; set; }
    /// <summary>The lowest UserId to return; absent or 0 is the first.</summary>
    public int? StartIndex { get; set; }
    /// <summary>Rows at most; absent or 0 is the largest page.</summary>
    public int? Limit { get; set; }
}
