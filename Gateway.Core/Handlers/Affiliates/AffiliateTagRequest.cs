using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary><c>{"omsId","userId","affiliateId","affiliateTag"}</c> (seed 003); an absent userId is the caller.</summary>
public sealed class AffiliateTagRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>Whose tag.</summary>
    public int? UserId { get; set; }
    /// <summary>Ignored for a user without a tag; for a holder, 0, absent or its own AffiliateId (else 104).</summary>
    public int? AffiliateId { get; set; }
    /// <summary>1–32 letters, digits, '_' or '-'.</summary>
    public string? AffiliateTag { get; set; }
}
