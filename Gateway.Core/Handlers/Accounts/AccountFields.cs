using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>
/// The account fields a client may send, as AddAccount takes them and UpdateAccount changes them; each call states its
/// own rules for what is required, what counts as not given, and each field's range.
/// </summary>
public abstract class AccountFields : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>The account's name.</summary>
    public string? AccountName { get; set; }
    /// <summary>Unique ignoring case.</summary>
    public string? AccountHandle { get; set; }
    /// <summary>0, 1 or 2.</summary>
    public int? AccountType { get; set; }
    /// <summary>0 to 3.</summary>
    public int? RiskType { get; set; }
    /// <summary>0 to 255.</summary>
    public int? VerificationLevel { get; set; }
    /// <summary>The fee group.</summary>
    public int? FeeGroupID { get; set; }
    /// <summary>Another existing account.</summary>
    public int? ParentID { get; set; }
    /// <summary>Firm id.</summary>
    public string? FirmId { get; set; }
    /// <summary>Firm name.</summary>
    public string? FirmName { get; set; }
    /// <summary>TFC number.</summary>
    public int? TFCNumber { get; set; }
    /// <summary>Street address.</summary>
    public string? StreetAddress { get; set; }
    /// <summary>City.</summary>
    public string? City { get; set; }
    /// <summary>State.</summary>
    public string? State { get; set; }
    /// <summary>Zip code.</summary>
    public string? ZipCode { get; set; }
    /// <summary>Country.</summary>
    public string? Country { get; set; }
    /// <summary>Decides the permissions of links made later.</summary>
    public bool? ViewLineItemPermissionFlag { get; set; }
    /// <summary>Decides the permissions of links made later.</summary>
    public bool? OrderLineItemPermissionFlag { get; set; }
    /// <summary>Hide pricing information.</summary>
    public bool? HidePricingInformation { get; set; }
}
