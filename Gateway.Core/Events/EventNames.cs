namespace Gateway.Core.Events;

/// <summary>The events' names (the frame's <c>n</c>), as protocol.md section 10 lists them.</summary>
public static class EventNames
{
    /// <summary>A permission of the user was granted or revoked.</summary>
    public const string Permissions = "UserPermissionsEvent";

    /// <summary>The user was linked to or unlinked from an account.</summary>
    public const string Accounts = "UserAccountsEvent";

    /// <summary>The user's affiliate tag was added, changed or removed.</summary>
    public const string AffiliateTag = "AffiliateTagEvent";

    /// <summary>The user's info changed (SetUserInfo, UnLockUser, two-factor enrolment).</summary>
    public const string UserInfo = "UserInfoEvent";

    /// <summary>A key of the user was added or removed.</summary>
    public const string ApiKeys = "ApiKeysEvent";

    /// <summary>The user's config changed (SetUserConfig, RemoveUserConfig).</summary>
    public const string UserConfig = "UserConfigEvent";

    /// <summary>An account the user is linked to changed (UpdateAccount).</summary>
    public const string AccountInfo = "AccountInfoEvent";

    /// <summary>The config of an account the user is linked to changed (SetAccountConfig, RemoveAccountConfig).</summary>
    public const string AccountConfig = "AccountConfigEvent";

    /// <summary>A session of the user ended.</summary>
    public const string SessionEnded = "SessionEndedEvent";

    /// <summary>The gateway dropped a subscription (the socket did not read its events).</summary>
    public const string SubscriptionEnded = "SubscriptionEndedEvent";
}
