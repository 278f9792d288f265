using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>AuthenticateUser: logs the socket in with a user name and password.</summary>
public sealed class AuthenticateUserHandler(LoginService logins, ILogger<AuthenticateUserHandler> logger) : IHandler<LoginRequest, AuthenticateUserReply>
{
    /// <inheritdoc />
    public static string Name => "AuthenticateUser";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Login;

    /// <inheritdoc />
    public async ValueTask<AuthenticateUserReply> HandleAsync(LoginRequest request, CallContext call, CancellationToken ct)
    {
        LoginResult result;
        try
        {
            result = request.SignedFields is { } signed
                ? await logins.ApiKeyLoginAsync(signed, call, oneCall: false, ct).ConfigureAwait(false)
                : await logins.LoginAsync(request.UserName, request.EffectivePassword, call, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (BusyLogin.IsBusy(e))
        {
            BusyLogin.Log(logger, e, call);
            return new AuthenticateUserFailure { ErrorMsg = BusyLogin.ErrorMsg };
        }
        return result.Outcome switch
        {
            LoginOutcome.Succeeded => new AuthenticateUserSuccess
            {
                SessionToken = result.Token!,
                User = new LoginUser(result.User!.UserId, result.User.UserName, result.User.Email ?? "", result.User.EmailVerified,
                    result.User.AccountId, result.User.OMSId, result.User.Use2FA),
            },
            LoginOutcome.SecondFactorRequired => new AuthenticateUserSecondFactor(),
            var refused => new AuthenticateUserFailure { Locked = refused == LoginOutcome.Locked, ErrorMsg = Failures.LoginText(refused) },
        };
    }
}

/// <summary>A password login: <c>{"UserName","Password"}</c>.</summary>
public sealed class LoginRequest : IOmsRequest
{
    /// <summary>A signed login: the key.</summary>
    public string? APIKey { get; set; }

    /// <summary>A signed login: hex HMAC-SHA256 over Nonce + UserId + APIKey.</summary>
    public string? Signature { get; set; }

    /// <summary>A signed login: the key's user, as a number or a string.</summary>
    public System.Text.Json.JsonElement? UserId { get; set; }

    /// <summary>A signed login: the nonce, as a number or a string.</summary>
    public System.Text.Json.JsonElement? Nonce { get; set; }

    /// <summary>The signed-login fields, when an APIKey was sent.</summary>
    public SignedLogin? SignedFields => string.IsNullOrEmpty(APIKey) ? null : new SignedLogin(APIKey, Signature, Text(UserId), Text(Nonce));

    private static string? Text(System.Text.Json.JsonElement? value) => value switch
    {
        { ValueKind: System.Text.Json.JsonValueKind.String } text => text.GetString(),
        { ValueKind: System.Text.Json.JsonValueKind.Number } number => number.GetRawText(),
        _ => null,
    };

    /// <inheritdoc />
    public int? OMSId { get; set; }

    /// <summary>The user name, matched case-insensitively.</summary>
    public string? UserName { get; set; }

    /// <summary>The password.</summary>
    public string? Password { get; set; }

    /// <summary>APEX clients send the clear password here.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>With WebAuthenticateUser: a token to resume instead of a password.</summary>
    public string? SessionToken { get; set; }

    /// <summary>The password from whichever key carried it.</summary>
    public string? EffectivePassword => string.IsNullOrEmpty(Password) ? PasswordHash : Password;
}

/// <summary>AuthenticateUser's answer: one of two shapes, serialized without a type marker.</summary>
[JsonDerivedType(typeof(AuthenticateUserSuccess))]
[JsonDerivedType(typeof(AuthenticateUserSecondFactor))]
[JsonDerivedType(typeof(AuthenticateUserFailure))]
public abstract class AuthenticateUserReply;

/// <summary>The password was right; send Authenticate2FA with the code on this socket. No session yet.</summary>
public sealed class AuthenticateUserSecondFactor : AuthenticateUserReply
{
    /// <summary>False until the code arrives.</summary>
    public bool Authenticated { get; init; }
    /// <summary>Always false.</summary>
    public bool Locked { get; init; }
    /// <summary>Always true.</summary>
    public bool Requires2FA { get; init; } = true;
    /// <summary>The kind of code expected.</summary>
    public string TwoFAType { get; init; } = "Google";
    /// <summary>Null.</summary>
    [JsonPropertyName("errormsg")]
    public string? ErrorMsg { get; init; }
}

/// <summary>A successful login, exactly as deployed gateways answer it (clients need <c>User.AccountId</c>).</summary>
public sealed class AuthenticateUserSuccess : AuthenticateUserReply
{
    /// <summary>Always true.</summary>
    public bool Authenticated { get; init; } = true;
    /// <summary>The token for WebAuthenticateUser on a new socket and for <c>aptoken</c>.</summary>
    public required string SessionToken { get; init; }
    /// <summary>Who logged in.</summary>
    public required LoginUser User { get; init; }
    /// <summary>Always false on success.</summary>
    public bool Locked { get; init; }
    /// <summary>False: no second factor is pending.</summary>
    public bool Requires2FA { get; init; }
    /// <summary>Null: no second factor is pending.</summary>
    public string? TwoFAType { get; init; }
    /// <summary>Null on success.</summary>
    [JsonPropertyName("errormsg")]
    public string? ErrorMsg { get; init; }
}

/// <summary>A refused login.</summary>
public sealed class AuthenticateUserFailure : AuthenticateUserReply
{
    /// <summary>Always false.</summary>
    public bool Authenticated { get; init; }
    /// <summary>True when the user is locked.</summary>
    public bool Locked { get; init; }
    /// <summary>Why.</summary>
    [JsonPropertyName("errormsg")]
    public required string ErrorMsg { get; init; }
}

/// <summary>The <c>User</c> object of a login reply.</summary>
public sealed record LoginUser(int UserId, string UserName, string Email, bool EmailVerified, int AccountId, int OMSId, bool Use2FA);
