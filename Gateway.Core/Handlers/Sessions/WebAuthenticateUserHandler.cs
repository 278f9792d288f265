using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>WebAuthenticateUser: a password login, or <c>{"SessionToken"}</c> to resume a session on a new socket.</summary>
public sealed class WebAuthenticateUserHandler(LoginService logins, SessionManager sessions) : IHandler<LoginRequest, WebAuthenticateUserReply>
{
    /// <inheritdoc />
    public static string Name => "WebAuthenticateUser";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public async ValueTask<WebAuthenticateUserReply> HandleAsync(LoginRequest request, CallContext call, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(request.SessionToken))
        {
            var session = await sessions.ResumeAsync(request.SessionToken, call.Connection, ct).ConfigureAwait(false);
            return session is null
                ? new WebAuthenticateUserFailure { ErrorMsg = "Session token is unknown or expired; log in with a password" }
                : new WebAuthenticateUserSuccess { SessionToken = request.SessionToken, UserId = session.UserId };
        }

        var result = await logins.LoginAsync(request.UserName, request.EffectivePassword, call, ct).ConfigureAwait(false);
        if (!result.Succeeded)
            return new WebAuthenticateUserFailure { ErrorMsg = result.Locked ? AuthenticateUserHandler.LockedText : AuthenticateUserHandler.InvalidCredentials };
        return new WebAuthenticateUserSuccess { SessionToken = result.Token!, UserId = result.User!.UserId };
    }
}

/// <summary>WebAuthenticateUser's answer: one of two shapes, serialized without a type marker.</summary>
[JsonDerivedType(typeof(WebAuthenticateUserSuccess))]
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

/// <summary><c>{"Authenticated":false,"errormsg"}</c>.</summary>
public sealed class WebAuthenticateUserFailure : WebAuthenticateUserReply
{
    /// <summary>Always false.</summary>
    public bool Authenticated { get; init; }
    /// <summary>Why.</summary>
    [JsonPropertyName("errormsg")]
    public required string ErrorMsg { get; init; }
}
