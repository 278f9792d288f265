using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;

namespace Gateway.Core.Handlers.Users;

/// <summary>UnLockUser: clears a lockout and the failed-login count so the user can log in again.</summary>
public sealed class UnLockUserHandler(DbWriter writer, SecurityEvents security) : IHandler<UserRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "UnLockUser";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(UserRequest request, CallContext call, CancellationToken ct)
    {
        if (request.UserId is not > 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "UnLockUser needs UserId");
        var user = await writer.WriteAsync(call.Audit, async tx =>
        {
            var user = await UserStore.FindAsync(tx, request.UserId.Value).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"UserId {request.UserId} does not exist");
            await tx.AuditChangeAsync(AuditStates.User(request.UserId.Value)).ConfigureAwait(false);
            await LoginFailureStore.ClearAsync(tx, request.UserId.Value).ConfigureAwait(false);
            tx.Change = $"user {request.UserId} unlocked";
            return user;
        }, ct).ConfigureAwait(false);
        await writer.AfterCommitAsync(() => security.Unlocked(user.UserName, user.UserId, call), ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
