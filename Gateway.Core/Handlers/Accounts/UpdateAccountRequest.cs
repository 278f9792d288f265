using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Accounts;

/// <summary>
/// <c>{"OMSId","AccountId", fields to change}</c>. Text is not given when "" or null, RiskType, FeeGroupID, ParentID and
/// TFCNumber when 0; AccountType, VerificationLevel and the flags apply whenever present. APEX fields the gateway does
/// not keep are ignored.
/// </summary>
public sealed class UpdateAccountRequest : AccountFields
{
    /// <summary>Longest text field, in characters.</summary>
    public const int MaxText = 256;

    /// <summary>Required.</summary>
    public int? AccountId { get; set; }

    /// <summary>100 naming the first field out of its range; nothing here needs the database.</summary>
    internal void Check()
    {
        if (AccountId is not > 0)
            throw Invalid("AccountId is required");
        if (AccountType is < 0 or > 2)
            throw Invalid("AccountType must be 0, 1 or 2");
        if (RiskType is < 0 or > 3)
            throw Invalid("RiskType must be 1, 2 or 3");
        if (VerificationLevel is < 0 or > 255)
            throw Invalid("VerificationLevel must be between 0 and 255");
        if (FeeGroupID is < 0)
            throw Invalid("FeeGroupID must be 0 or more");
        if (ParentID is < 0)
            throw Invalid("ParentID must be 0 or more");
        if (TFCNumber is < 0)
            throw Invalid("TFCNumber must be 0 or more");
        foreach (var (name, value) in Texts())
        {
            if (value is not null && value.EnumerateRunes().Count() > MaxText)
                throw Invalid($"{name} must be at most {MaxText} characters");
        }
    }

    /// <summary>Copies every given field onto <paramref name="row"/>.</summary>
    internal void ApplyTo(AccountRow row)
    {
        row.AccountName = Given(AccountName)?.Trim() ?? row.AccountName;
        row.AccountHandle = Given(AccountHandle)?.Trim() ?? row.AccountHandle;
        row.FirmId = Given(FirmId) ?? row.FirmId;
        row.FirmName = Given(FirmName) ?? row.FirmName;
        row.StreetAddress = Given(StreetAddress) ?? row.StreetAddress;
        row.City = Given(City) ?? row.City;
        row.State = Given(State) ?? row.State;
        row.ZipCode = Given(ZipCode) ?? row.ZipCode;
        row.Country = Given(Country) ?? row.Country;
        row.AccountType = AccountType ?? row.AccountType;
        row.VerificationLevel = VerificationLevel ?? row.VerificationLevel;
        row.RiskType = RiskType is > 0 ? RiskType.Value : row.RiskType;
        row.FeeGroupID = FeeGroupID is > 0 ? FeeGroupID.Value : row.FeeGroupID;
        row.ParentID = ParentID is > 0 ? ParentID.Value : row.ParentID;
        row.TFCNumber = TFCNumber is > 0 ? TFCNumber.Value : row.TFCNumber;
        row.ViewLineItemPermissionFlag = ViewLineItemPermissionFlag ?? row.ViewLineItemPermissionFlag;
        row.OrderLineItemPermissionFlag = OrderLineItemPermissionFlag ?? row.OrderLineItemPermissionFlag;
        row.HidePricingInformation = HidePricingInformation ?? row.HidePricingInformation;
    }

    private (string, string?)[] Texts() =>
    [
        (nameof(AccountName), AccountName), (nameof(AccountHandle), AccountHandle), (nameof(FirmId), FirmId), (nameof(FirmName), FirmName),
        (nameof(StreetAddress), StreetAddress), (nameof(City), City), (nameof(State), State), (nameof(ZipCode), ZipCode), (nameof(Country), Country),
    ];

    // Judgment (calls-next.md): text fields can be changed but not emptied; blank counts as not given.
    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static GatewayException Invalid(string detail) => new(ErrorCode.InvalidRequest, detail);
}
