using Gateway.Core.Handlers.Users;

namespace Gateway.Core.Resources;

/// <summary>The body of <c>POST /accounts/{accountId}/accountUsers</c> (seed 004); both spellings of the override flag work.</summary>
public sealed class AccountUserCreateDto
{
    /// <summary>When given (non-zero), must equal the path's accountId.</summary>
    public int? AccountId { get; set; }
    /// <summary>The documented, misspelled key.</summary>
    public bool? OrverrideExistingMembership { get; set; }
    /// <summary>The correct spelling, accepted too.</summary>
    public bool? OverrideExistingMembership { get; set; }
    /// <summary>Required: identifies the user.</summary>
    public string? ExternalUserId { get; set; }
    /// <summary>When given, becomes the user's UserType.</summary>
    public int? UserType { get; set; }

    /// <summary>True when either spelling asks to move the user off its other accounts.</summary>
    public bool Override => OrverrideExistingMembership == true || OverrideExistingMembership == true;
}

/// <summary>AccountUserDto, with exactly the keys and nesting of the seed's sample.</summary>
/// <param name="Id">The link's id.</param>
/// <param name="UserId">The user.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Account">The account.</param>
/// <param name="User">The user.</param>
/// <param name="AccountUserPermissions">The link's permissions.</param>
public sealed record AccountUserDto(long Id, int UserId, int AccountId, AccountDto Account, UserDto User, IReadOnlyList<AccountUserPermissionDto> AccountUserPermissions);

/// <summary>AccountDto of the seed; <c>AccountUsers</c> is always empty, to avoid a cycle.</summary>
/// <param name="Id">Field.</param>
/// <param name="Name">Field.</param>
/// <param name="AccountType">Field.</param>
/// <param name="TFCNumber">Field.</param>
/// <param name="StreetAddress">Field.</param>
/// <param name="City">Field.</param>
/// <param name="State">Field.</param>
/// <param name="ZipCode">Field.</param>
/// <param name="Country">Field.</param>
/// <param name="ViewLineItemPermissionFlag">Field.</param>
/// <param name="OrderLineItemPermissionFlag">Field.</param>
/// <param name="HidePricingInformation">Field.</param>
/// <param name="AccountUsers">Always empty.</param>
public sealed record AccountDto(int Id, string Name, int AccountType, int TFCNumber, string StreetAddress, string City, string State,
    string ZipCode, string Country, bool ViewLineItemPermissionFlag, bool OrderLineItemPermissionFlag, bool HidePricingInformation,
    IReadOnlyList<AccountUserDto> AccountUsers);

/// <summary>UserDto of the seed.</summary>
/// <param name="Id">Field.</param>
/// <param name="FederatedUserId">Field.</param>
/// <param name="UserName">Field.</param>
/// <param name="FirstName">Field.</param>
/// <param name="LastName">Field.</param>
/// <param name="DisplayName">Field.</param>
/// <param name="EmailAddress">The user's Email.</param>
/// <param name="ExternalUserId">Field.</param>
/// <param name="EmailOn">Field.</param>
/// <param name="TFCNumber">Field.</param>
/// <param name="FOLAccountName">Field.</param>
/// <param name="UserType">Field.</param>
/// <param name="RoleType">Field.</param>
/// <param name="UserPreferences">Field.</param>
/// <param name="Active">Field.</param>
public sealed record UserDto(int Id, string FederatedUserId, string UserName, string FirstName, string LastName, string DisplayName,
    string EmailAddress, string ExternalUserId, bool EmailOn, int TFCNumber, string FOLAccountName, int UserType, int RoleType,
    UserPreferences UserPreferences, bool Active);

/// <summary>AccountUserPermissionDto of the seed: 0 ViewLineItems, 1 OrderLineItems.</summary>
/// <param name="Id">The permission row's id.</param>
/// <param name="AccountUserId">The link's id.</param>
/// <param name="Permission">0 or 1.</param>
public sealed record AccountUserPermissionDto(long Id, long AccountUserId, int Permission);
