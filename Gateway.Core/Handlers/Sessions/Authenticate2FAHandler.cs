using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>Authenticate2FA: the TOTP code after a login that answered <c>Requires2FA:true</c> on this socket.</summary>
public sealed class Authenticate2FAHandler(LoginService logins, ILogger<Authenticate2FAHandler> logger) : IHandler<SecondFactorRequest, WebAuthenticateUserReply>
{
    /// <inheritdoc />
    public static string Name => "Authenticate2FA";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Login;

    /// <inheritdoc />
    public async ValueTask<WebAuthenticateUserReply> HandleAsync(SecondFactorRequest request, CallContext call, CancellationToken ct)
    {
        try
        {
            return WebAuthenticateUserHandler.Reply(await logins.SecondFactorAsync(request.CodeText, call, ct).ConfigureAwait(false));
        }
        catch (Exception e) when (BusyLogin.IsBusy(e))
        {
            BusyLogin.Log(logger, e, call);
            return new WebAuthenticateUserFailure { ErrorMsg = BusyLogin.ErrorMsg };
        }
    }
}

/// <summary><c>{"Code"}</c>: the 6-digit code from the authenticator app.</summary>
public sealed class SecondFactorRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }

    /// <summary>The code, as a string or a number.</summary>
    public System.Text.Json.JsonElement? Code { get; set; }

    /// <summary>The code as six digits (a number loses its leading zeros on the way, so they are put back).</summary>
    public string? CodeText => Code switch
    {
        { ValueKind: System.Text.Json.JsonValueKind.String } text => text.GetString(),
        { ValueKind: System.Text.Json.JsonValueKind.Number } number => number.GetRawText().PadLeft(6, '0'),
        _ => null,
    };
}
