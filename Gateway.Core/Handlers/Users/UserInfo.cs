using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Users;

/// <summary>The user object of GetUserInfo and SetUserInfo: every field of calls.md's User, never the password.</summary>
public sealed class UserInfo
{
    /// <summary>Field.</summary>
    public int UserId { get; init; }
    /// <summary>Field.</summary>
    public string UserName { get; init; } = "";
    /// <summary>Field; "" when not set.</summary>
    public string Email { get; init; } = "";
    /// <summary>Field.</summary>
    public bool EmailVerified { get; init; }
    /// <summary>Field: the default account, 0 if none.</summary>
    public int AccountId { get; init; }
    /// <summary>Field.</summary>
    public int OMSId { get; init; }
    /// <summary>Field.</summary>
    public bool Use2FA { get; init; }
    /// <summary>Field.</summary>
    public bool Locked { get; init; }
    /// <summary>Field: ISO-8601 UTC, null when not locked.</summary>
    public string? LockedTime { get; init; }
    /// <summary>Field.</summary>
    public int NumberOfFailedAttempt { get; init; }
    /// <summary>Field: ISO-8601 UTC.</summary>
    public string DateTimeCreated { get; init; } = "";
    /// <summary>Field.</summary>
    public int AffiliateId { get; init; }
    /// <summary>Field.</summary>
    public int RefererId { get; init; }
    /// <summary>Field; "" when not set.</summary>
    public string ExternalUserId { get; init; } = "";
    /// <summary>Field.</summary>
    public string FederatedUserId { get; init; } = "";
    /// <summary>Field.</summary>
    public string FirstName { get; init; } = "";
    /// <summary>Field.</summary>
    public string LastName { get; init; } = "";
    /// <summary>Field.</summary>
    public string DisplayName { get; init; } = "";
    /// <summary>Field.</summary>
    public bool EmailOn { get; init; }
    /// <summary>Field.</summary>
    public int TFCNumber { get; init; }
    /// <summary>Field.</summary>
    public string FOLAccountName { get; init; } = "";
    /// <summary>Field.</summary>
    public int UserType { get; init; }
    /// <summary>Field.</summary>
    public int RoleType { get; init; }
    /// <summary>Field.</summary>
    public UserPreferences UserPreferences { get; init; } = new();
    /// <summary>Field.</summary>
    public bool Active { get; init; }

    /// <summary>The API view of a stored user.</summary>
    public static UserInfo From(UserRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new UserInfo
        {
            UserId = row.UserId, UserName = row.UserName, Email = row.Email ?? "", EmailVerified = row.EmailVerified,
            AccountId = row.AccountId, OMSId = row.OMSId, Use2FA = row.Use2FA, Locked = row.Locked, LockedTime = row.LockedTime,
            NumberOfFailedAttempt = row.NumberOfFailedAttempt, DateTimeCreated = row.DateTimeCreated, AffiliateId = row.AffiliateId,
            RefererId = row.RefererId, ExternalUserId = row.ExternalUserId ?? "", FederatedUserId = row.FederatedUserId ?? "",
            FirstName = row.FirstName ?? "", LastName = row.LastName ?? "", DisplayName = row.DisplayName ?? "", EmailOn = row.EmailOn,
            TFCNumber = row.TFCNumber, FOLAccountName = row.FOLAccountName ?? "", UserType = row.UserType, RoleType = row.RoleType,
            UserPreferences = new UserPreferences
            {
                DefaultSiteDashboardViewType = row.DefaultSiteDashboardViewType,
                DefaultDashboardVendorFilterType = row.DefaultDashboardVendorFilterType,
            },
            Active = row.Active,
        };
    }
}

/// <summary>The user's dashboard preferences (seed 004).</summary>
public sealed class UserPreferences
{
    /// <summary>Field.</summary>
    public int DefaultSiteDashboardViewType { get; set; }
    /// <summary>Field.</summary>
    public int DefaultDashboardVendorFilterType { get; set; }
}
