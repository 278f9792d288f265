namespace Gateway.Core.Storage;

/// <summary>A row of <c>users</c> as stored.</summary>
public sealed class UserRow
{
    /// <summary>Column.</summary>
    public int UserId { get; set; }
    /// <summary>Column.</summary>
    public string UserName { get; set; } = "";
    /// <summary>Column <c>UserNameKey</c>: always computed from <see cref="UserName"/>, so it cannot disagree with it.</summary>
    public string UserNameKey => Sessions.UserNames.Key(UserName);
    /// <summary>Column; null when not set.</summary>
    public string? Email { get; set; }
    /// <summary>Column.</summary>
    public bool EmailVerified { get; set; }
    /// <summary>Column: the default account, 0 if none.</summary>
    public int AccountId { get; set; }
    /// <summary>Column.</summary>
    public int OMSId { get; set; }
    /// <summary>Column.</summary>
    public bool Use2FA { get; set; }
    /// <summary>Column.</summary>
    public bool Locked { get; set; }
    /// <summary>Column: ISO-8601 UTC when failed logins locked the user (the lock ends after LockoutMinutes); null when not locked, or when an operator locked it (until UnLockUser).</summary>
    public string? LockedTime { get; set; }
    /// <summary>Column.</summary>
    public int NumberOfFailedAttempt { get; set; }
    /// <summary>Column: ISO-8601 UTC.</summary>
    public string DateTimeCreated { get; set; } = "";
    /// <summary>Column.</summary>
    public int AffiliateId { get; set; }
    /// <summary>Column.</summary>
    public int RefererId { get; set; }
    /// <summary>Column; null when not set.</summary>
    public string? ExternalUserId { get; set; }
    /// <summary>Column.</summary>
    public string? FederatedUserId { get; set; }
    /// <summary>Column.</summary>
    public string? FirstName { get; set; }
    /// <summary>Column.</summary>
    public string? LastName { get; set; }
    /// <summary>Column.</summary>
    public string? DisplayName { get; set; }
    /// <summary>Column.</summary>
    public bool EmailOn { get; set; }
    /// <summary>Column.</summary>
    public int TFCNumber { get; set; }
    /// <summary>Column.</summary>
    public string? FOLAccountName { get; set; }
    /// <summary>Column.</summary>
    public int UserType { get; set; }
    /// <summary>Column.</summary>
    public int RoleType { get; set; }
    /// <summary>Column.</summary>
    public int DefaultSiteDashboardViewType { get; set; }
    /// <summary>Column.</summary>
    public int DefaultDashboardVendorFilterType { get; set; }
    /// <summary>Column.</summary>
    public bool Active { get; set; }

    /// <summary>
    /// False when the user is deactivated or locked by an operator: its sessions end and its keys stop working. A lock
    /// from failed logins only stops new logins, so a stranger guessing passwords cannot throw the user out.
    /// </summary>
    public bool MayAct => Active && !(Locked && LockedTime is null);
    /// <summary>Column: the salted slow hash; never leaves the store layer in a reply.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>A copy, so a cached row is never changed by whoever read it.</summary>
    public UserRow Clone() => (UserRow)MemberwiseClone();
}
