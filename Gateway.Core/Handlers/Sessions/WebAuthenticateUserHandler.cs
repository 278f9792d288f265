using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>WebAuthenticateUser: a password login, or <c>{"SessionToken"}</c> to resume a session on a new socket.</summary>
public sealed class WebAuthenticateUserHandler(LoginService logins, ILogger<WebAuthenticateUserHandler> logger) : IHandler<LoginRequest, WebAuthenticateUserReply>
{
    /// <inheritdoc />
    public static string Name => "WebAuthenticateUser";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Login;

    /// <inheritdoc />
    public async ValueTask<WebAuthenticateUserReply> HandleAsync(LoginRequest request, CallContext call, CancellationToken ct)
    {
        try
        {
            return await LoginAsync(request, call, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (BusyLogin.IsBusy(e))
        {
            BusyLogin.Log(logger, e, call);
            return new WebAuthenticateUserFailure { ErrorMsg = BusyLogin.ErrorMsg };
        }
    }

    private async Task<WebAuthenticateUserReply> LoginAsync(LoginRequest request, CallContext call, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.SessionToken))
            return Reply(await logins.LoginAsync(request.UserName, request.EffectivePassword, call, ct).ConfigureAwait(false));
        var resumed = await logins.ResumeAsync(request.SessionToken, call, ct).ConfigureAwait(false);
        return resumed.Outcome switch
        {
            LoginOutcome.Succeeded => new WebAuthenticateUserSuccess { SessionToken = request.SessionToken, UserId = resumed.Session!.UserId },
            LoginOutcome.Refused => new WebAuthenticateUserFailure { ErrorMsg = Failures.UnknownToken },
            var refused => new WebAuthenticateUserFailure { ErrorMsg = Failures.LoginText(refused) },
        };
    }

    /// <summary>The WebAuthenticateUser-shaped answer to a login (also Authenticate2FA's).</summary>
    public static WebAuthenticateUserReply Reply(LoginResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            LoginOutcome.Succeeded => new WebAuthenticateUserSuccess { SessionToken = result.Token!, UserId = result.User!.UserId },
            LoginOutcome.SecondFactorRequired => new WebAuthenticateUserSecondFactor(),
            var refused => new WebAuthenticateUserFailure { ErrorMsg = Failures.LoginText(refused) },
        };
    }
}

/// <summary>WebAuthenticateUser's answer: one of three shapes, serialized without a type marker.</summary>
[JsonDerivedType(typeof(WebAuthenticateUserSuccess))]
[JsonDerivedType(typeof(WebAuthenticateUserSecondFactor))]
[JsonDerivedType(typeof(WebAuthenticateUserFailure))]
public abstract class WebAuthenticateUserReply;

/// <summary><c>{"Authenticated":true,"SessionToken","UserId"}</c>.</summary>
public sealed class WebAuthenticateUserSuccess : WebAuthenticateUserReply
{
    /// <summary>Always true.</summary>
    public bool Authenticated { get; init; } = true;
    /// <summary>The session's token.</summary>
    public required string SessionToken { get; init; }
    /// <summary>Who is logged in.</summary>
    public int UserId { get; init; }
}

/// <summary>The password was right; send Authenticate2FA with the code on this socket.</summary>
public sealed class WebAuthenticateUserSecondFactor : WebAuthenticateUserReply
{
    /// <summary>False until the code arrives.</summary>
    public bool Authenticated { get; init; }
    /// <summary>Always true.</summary>
    public bool Requires2FA { get; init; } = true;
    /// <summary>The kind of code expected.</summary>
    public string TwoFAType { get; init; } = "Google";
    /// <summary>Null.</summary>
    [JsonPropertyName("errormsg")]
    public string? ErrorMsg { get; init; }
}

/// <summary><c>{"Authenticated":false,"errormsg"}</c>.</summary>
public sealed class WebAuthenticateUserFailure : WebAuthenticateUserReply
{
    /// <summary>Always false.</summary>
    public bool Authenticated { get; init; }
    /// <summary>Why.</summary>
    [JsonPropertyName("errormsg")]
    public required string ErrorMsg { get; init; }
}
