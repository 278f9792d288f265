namespace Gateway.Core.Telemetry;

/// <summary>Why a login was refused: the <c>reason</c> of the Warn line and of <c>gateway.logins.failed</c>.</summary>
public enum LoginFailure
{
    /// <summary>No user has the name, or a signed login named an unknown key or another user's: <c>unknown_user</c>.</summary>
    UnknownUser,
    /// <summary>The user exists but is not active: <c>inactive</c>.</summary>
    Inactive,
    /// <summary>The password was wrong (or missing): <c>wrong_password</c>.</summary>
    WrongPassword,
    /// <summary>The user is locked; nothing else was checked: <c>locked</c>.</summary>
    Locked,
    /// <summary>The (APIKey, Nonce) pair was used already: <c>replayed_nonce</c>.</summary>
    ReplayedNonce,
    /// <summary>The signature over Nonce + UserId + APIKey did not match: <c>bad_signature</c>.</summary>
    BadSignature,
    /// <summary>The TOTP code was wrong, used already, or came with no pending password login: <c>bad_2fa_code</c>.</summary>
    Bad2FACode,
    /// <summary>A session token that resumes nothing: <c>unknown_token</c>.</summary>
    UnknownToken,
    /// <summary>The remote address failed too many logins this minute; nothing was checked: <c>throttled</c>.</summary>
    Throttled,
}

/// <summary>The tag text of each <see cref="LoginFailure"/>.</summary>
public static class LoginFailureText
{
    /// <summary>The snake_case text logs and metrics carry.</summary>
    public static string Tag(this LoginFailure reason) => reason switch
    {
        LoginFailure.UnknownUser => "unknown_user",
        LoginFailure.Inactive => "inactive",
        LoginFailure.WrongPassword => "wrong_password",
        LoginFailure.Locked => "locked",
        LoginFailure.ReplayedNonce => "replayed_nonce",
        LoginFailure.BadSignature => "bad_signature",
        LoginFailure.Bad2FACode => "bad_2fa_code",
        LoginFailure.UnknownToken => "unknown_token",
        LoginFailure.Throttled => "throttled",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "no tag for this reason"),
    };
}
