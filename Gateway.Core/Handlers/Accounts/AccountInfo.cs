using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>The account object calls answer with: every field of calls.md's Account, <c>OMSID</c> spelled as deployed.</summary>
public sealed record AccountInfo(
    int AccountId, int OMSID, string AccountName, string AccountHandle, int AccountType, int RiskType, int VerificationLevel,
    int FeeGroupID, int ParentID, string FirmId, string FirmName, int TFCNumber, string StreetAddress, string City, string State,
    string ZipCode, string Country, bool ViewLineItemPermissionFlag, bool OrderLineItemPermissionFlag, bool HidePricingInformation)
{
    /// <summary>The API view of a stored account; unset text is "".</summary>
    public static AccountInfo From(AccountRow a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.AccountId, a.OMSID, a.AccountName, a.AccountHandle ?? "", a.AccountType, a.RiskType, a.VerificationLevel,
            a.FeeGroupID, a.ParentID, a.FirmId ?? "", a.FirmName ?? "", a.TFCNumber, a.StreetAddress ?? "", a.City ?? "", a.State ?? "",
            a.ZipCode ?? "", a.Country ?? "", a.ViewLineItemPermissionFlag, a.OrderLineItemPermissionFlag, a.HidePricingInformation);
    }
}
