using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;

namespace Gateway.Core.Handlers.Sessions;

/// <summary>LogOut: ends the session at once; its sockets close with 1008 after this reply. A no-op when not logged in.</summary>
public sealed class LogOutHandler(SessionManager sessions) : IHandler<EmptyRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "LogOut";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Login;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(EmptyRequest request, CallContext call, CancellationToken ct)
    {
        if (call.Session is { } session)
            await sessions.EndAsync(session, SessionEnd.LogOut, call, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
