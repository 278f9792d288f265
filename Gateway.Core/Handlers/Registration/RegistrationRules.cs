using System.Text.RegularExpressions;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Registration;

/// <summary>What a self-registered name, email and password must be (calls-next.md, RegisterNewUser rules 3 to 5).</summary>
public static partial class RegistrationRules
{
    /// <summary>The detail of a name outside the ASCII rule.</summary>
    public const string BadUserName = "UserName must be 3-64 characters: letters, digits, . _ - @";

    /// <summary>The detail of a reserved name.</summary>
    public const string ReservedUserName = "UserName is not available";

    /// <summary>The detail of a malformed email.</summary>
    public const string BadEmail = "Email is not a valid address";

    /// <summary>The longest email.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>
    /// The name as sent, when it is 3–64 ASCII letters, digits, <c>. _ - @</c> (so no look-alike of another script) and
    /// not reserved (compared by user-name key, so <c>ADMIN</c> is <c>admin</c>); 100 otherwise.
    /// </summary>
    public static string UserName(string? userName, IEnumerable<string> reserved)
    {
        if (userName is null || !NameSyntax().IsMatch(userName))
            throw new GatewayException(ErrorCode.InvalidRequest, BadUserName);
        var key = UserNames.Key(userName);
        if (reserved.Any(r => UserNames.Key(r) == key))
            throw new GatewayException(ErrorCode.InvalidRequest, ReservedUserName);
        return userName;
    }

    /// <summary>The email when it has one <c>@</c>, a local part, a dotted domain, no space or control character, at most 254 characters; 100 otherwise.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email) || email.Length > MaxEmailLength || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new GatewayException(ErrorCode.InvalidRequest, BadEmail);
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || !email.AsSpan(at + 1).Contains('.'))
            throw new GatewayException(ErrorCode.InvalidRequest, BadEmail);
        return email;
    }

    /// <summary>The detail of a password outside the rule.</summary>
    public static string BadPassword(int minLength) => $"Password must be {minLength}-{RegistrationOptions.MaxPasswordLength} characters and differ from UserName and Email";

    /// <summary>
    /// The password when it is <paramref name="minLength"/>–128 characters and differs, ignoring case, from the name and
    /// the email; 100 otherwise.
    /// </summary>
    public static string Password(string? password, int minLength, string userName, string? email)
    {
        if (password is null || password.Length < minLength || password.Length > RegistrationOptions.MaxPasswordLength
            || password.Equals(userName, StringComparison.OrdinalIgnoreCase) || (email is not null && password.Equals(email, StringComparison.OrdinalIgnoreCase)))
            throw new GatewayException(ErrorCode.InvalidRequest, BadPassword(minLength));
        return password;
    }

    /// <summary>The length check alone, made before anything else is looked at (ResetPassword2 checks the code next).</summary>
    public static string PasswordLength(string? password, int minLength) =>
        password is not null && password.Length >= minLength && password.Length <= RegistrationOptions.MaxPasswordLength
            ? password
            : throw new GatewayException(ErrorCode.InvalidRequest, BadPassword(minLength));

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{3,64}\z")]
    private static partial Regex NameSyntax();
}
