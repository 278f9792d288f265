using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Users;

/// <summary>User fields a request may set; a field absent, null or "" is left as it is.</summary>
public class UserFields
{
    /// <summary>Field.</summary>
    public string? UserName { get; set; }
    /// <summary>Field (CreateUser only).</summary>
    public string? Password { get; set; }
    /// <summary>APEX clients put the clear password here (CreateUser only).</summary>
    public string? PasswordHash { get; set; }
    /// <summary>Field.</summary>
    public string? Email { get; set; }
    /// <summary>Field.</summary>
    public string? ExternalUserId { get; set; }
    /// <summary>Field.</summary>
    public string? FederatedUserId { get; set; }
    /// <summary>Field.</summary>
    public string? FirstName { get; set; }
    /// <summary>Field.</summary>
    public string? LastName { get; set; }
    /// <summary>Field.</summary>
    public string? DisplayName { get; set; }
    /// <summary>Field.</summary>
    public bool? EmailOn { get; set; }
    /// <summary>Field.</summary>
    public int? TFCNumber { get; set; }
    /// <summary>Field.</summary>
    public string? FOLAccountName { get; set; }
    /// <summary>Field.</summary>
    public int? UserType { get; set; }
    /// <summary>Field.</summary>
    public int? RoleType { get; set; }
    /// <summary>Field.</summary>
    public UserPreferences? UserPreferences { get; set; }

    /// <summary>Copies every given field onto <paramref name="row"/> and returns it; 100 for a malformed email or user name.</summary>
    public UserRow ApplyTo(UserRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        // The stored name sent back unchanged is no rename, even one an older gateway accepted and the rules now refuse.
        if (!string.IsNullOrEmpty(UserName) && !string.Equals(UserName, row.UserName, StringComparison.Ordinal))
            row.UserName = UserNames.Clean(UserName, nameof(UserName));
        if (!string.IsNullOrEmpty(Email))
        {
            if (!Email.Contains('@', StringComparison.Ordinal))
                throw new GatewayException(ErrorCode.InvalidRequest, $"Email '{Email}' is not an email address");
            row.Email = Email.Trim();
        }
        if (!string.IsNullOrEmpty(ExternalUserId)) row.ExternalUserId = ExternalUserId;
        if (!string.IsNullOrEmpty(FederatedUserId)) row.FederatedUserId = FederatedUserId;
        if (!string.IsNullOrEmpty(FirstName)) row.FirstName = FirstName;
        if (!string.IsNullOrEmpty(LastName)) row.LastName = LastName;
        if (!string.IsNullOrEmpty(DisplayName)) row.DisplayName = DisplayName;
        if (EmailOn is { } emailOn) row.EmailOn = emailOn;
        if (TFCNumber is { } tfc) row.TFCNumber = tfc;
        if (!string.IsNullOrEmpty(FOLAccountName)) row.FOLAccountName = FOLAccountName;
        if (UserType is { } userType) row.UserType = userType;
        if (RoleType is { } roleType) row.RoleType = roleType;
        if (UserPreferences is { } preferences)
        {
            row.DefaultSiteDashboardViewType = preferences.DefaultSiteDashboardViewType;
            row.DefaultDashboardVendorFilterType = preferences.DefaultDashboardVendorFilterType;
        }
        return row;
    }
}
