namespace Gateway.Core.Storage;

/// <summary>A row of <c>accounts</c>, and the account object calls answer with (PascalCase, but <c>OMSID</c> as deployed).</summary>
public sealed class AccountRow
{
    /// <summary>Field.</summary>
    public int AccountId { get; set; }
    /// <summary>Field, spelled as deployed gateways spell it.</summary>
    public int OMSID { get; set; } = 1;
    /// <summary>Field.</summary>
    public string AccountName { get; set; } = "";
    /// <summary>Field; unique ignoring case, "" when not set.</summary>
    public string? AccountHandle { get; set; }
    /// <summary>Field: 0 Asset, 1 Liability, 2 ProfitLoss.</summary>
    public int AccountType { get; set; }
    /// <summary>Field: 0 Unknown, 1 Normal, 2 NoRiskCheck, 3 NoTrading.</summary>
    public int RiskType { get; set; } = 1;
    /// <summary>Field.</summary>
    public int VerificationLevel { get; set; }
    /// <summary>Field.</summary>
    public int FeeGroupID { get; set; }
    /// <summary>Field.</summary>
    public int ParentID { get; set; }
    /// <summary>Field.</summary>
    public string? FirmId { get; set; }
    /// <summary>Field.</summary>
    public string? FirmName { get; set; }
    /// <summary>Field.</summary>
    public int TFCNumber { get; set; }
    /// <summary>Field.</summary>
    public string? StreetAddress { get; set; }
    /// <summary>Field.</summary>
    public string? City { get; set; }
    /// <summary>Field.</summary>
    public string? State { get; set; }
    /// <summary>Field.</summary>
    public string? ZipCode { get; set; }
    /// <summary>Field.</summary>
    public string? Country { get; set; }
    /// <summary>Field: links made later get AccountUserPermission 0 (ViewLineItems).</summary>
    public bool ViewLineItemPermissionFlag { get; set; }
    /// <summary>Field: links made later get AccountUserPermission 1 (OrderLineItems).</summary>
    public bool OrderLineItemPermissionFlag { get; set; }
    /// <summary>Field.</summary>
    public bool HidePricingInformation { get; set; }

    /// <summary>A copy, so a cached row is never changed by whoever read it.</summary>
    public AccountRow Clone() => (AccountRow)MemberwiseClone();
}
