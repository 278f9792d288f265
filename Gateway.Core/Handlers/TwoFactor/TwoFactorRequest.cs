using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.TwoFactor;

/// <summary><c>{"UserId"}</c> or <c>{"UserName"}</c>; neither means the caller.</summary>
public sealed class TwoFactorRequest : IOmsRequest
{
    /// <summary>Whose second factor; absent or 0 means the caller.</summary>
    public int? UserId { get; set; }

    /// <summary>The user by name, instead of UserId.</summary>
    public string? UserName { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}

/// <summary>EnableGoogle2FA's answer: the shared secret as an authenticator app takes it, shown this once.</summary>
/// <param name="ManualCode">The seed in Base32, for typing into the app.</param>
/// <param name="OtpAuthUri">The <c>otpauth://totp/...</c> URI, for a QR code.</param>
public sealed record TwoFactorEnrolment(string ManualCode, string OtpAuthUri);
