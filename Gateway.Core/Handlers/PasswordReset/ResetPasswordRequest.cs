using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary><c>{"UserName"}</c>: the user who forgot its password.</summary>
public sealed class ResetPasswordRequest : IOmsRequest
{
    /// <summary>The name, in any spelling its key matches.</summary>
    public string? UserName { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}

/// <summary><c>{"UserId","Password","PendingCode"}</c>; <c>UserId</c> may be a numeric string, as APEX types it.</summary>
public sealed class ResetPassword2Request : IOmsRequest, IPostOnlyRequest
{
    /// <summary>The user the code was mailed to.</summary>
    public int? UserId { get; set; }

    /// <summary>The new password.</summary>
    public string? Password { get; set; }

    /// <summary>The code from the mail.</summary>
    public string? PendingCode { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}
