namespace Gateway.Core.Handlers.PasswordReset;

/// <summary><c>Gateway:PasswordReset</c>: the mailed code of ResetPassword and its limits.</summary>
public sealed class PasswordResetOptions
{
    /// <summary>The placeholder for the user's id in <see cref="LinkTemplate"/>.</summary>
    public const string UserIdPlaceholder = "{UserId}";

    /// <summary>The placeholder for the code in <see cref="LinkTemplate"/>.</summary>
    public const string CodePlaceholder = "{PendingCode}";

    /// <summary>Minutes a code stays valid.</summary>
    public double CodeMinutes { get; set; } = 30;

    /// <summary>ResetPassword requests one remote address may make per hour; over it, 101.</summary>
    public int PerAddressPerHour { get; set; } = 10;

    /// <summary>Mails one requested user name may cause per hour (names counted whether or not they exist); over it, silence.</summary>
    public int PerUserNamePerHour { get; set; } = 3;

    /// <summary>ResetPassword2 code checks one remote address may make per hour; over it, 101.</summary>
    public int CodeChecksPerAddressPerHour { get; set; } = 20;

    /// <summary>Wrong codes for one user that void its outstanding code.</summary>
    public const int WrongCodesPerCode = 5;

    /// <summary>The link mailed, with <see cref="UserIdPlaceholder"/> and <see cref="CodePlaceholder"/>; required when mail is configured.</summary>
    public string LinkTemplate { get; set; } = "";
}
