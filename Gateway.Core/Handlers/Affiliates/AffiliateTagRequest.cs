using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary><c>{"omsId","userId","affiliateId","affiliateTag"}</c> (seed 003); an absent userId is the caller.</summary>
public sealed class AffiliateTagRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>Whose tag.</summary>
    public int? UserId { get; set; }
    /// <summary>0 or absent is fine; otherwise it must be the user's current AffiliateId.</summary>
    public int? AffiliateId { get; set; }
    /// <summary>1–32 letters, digits, '_' or '-'.</summary>
    public string? AffiliateTag { get; set; }
}
