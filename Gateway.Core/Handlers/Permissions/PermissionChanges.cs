using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;

namespace Gateway.Core.Handlers.Permissions;

/// <summary>Granting and revoking, shared by AddUserPermission (Value 1 or 0) and RevokeUserPermission.</summary>
public sealed class PermissionChanges(DbWriter writer, PermissionCatalog catalog, SecurityEvents security)
{
    /// <summary>Grants <paramref name="permission"/> to <paramref name="userId"/>; granting one already held changes nothing.</summary>
    public Task GrantAsync(int? userId, string? permission, CallContext call, CancellationToken ct) =>
        ChangeAsync(userId, permission, call, grant: true, ct);

    /// <summary>Revokes <paramref name="permission"/>: 104 when not held, 101 for an operator's own Operator.</summary>
    public Task RevokeAsync(int? userId, string? permission, CallContext call, CancellationToken ct) =>
        ChangeAsync(userId, permission, call, grant: false, ct);

    private async Task ChangeAsync(int? userId, string? permission, CallContext call, bool grant, CancellationToken ct)
    {
        if (userId is not > 0)
            throw new GatewayException(ErrorCode.InvalidRequest, $"{call.Function} needs UserId");
        if (string.IsNullOrEmpty(permission))
            throw new GatewayException(ErrorCode.InvalidRequest, "Permission is required; use a name from GetAvailablePermissionList");
        if (!catalog.TryCanonical(permission, out var name))
            throw new GatewayException(ErrorCode.InvalidRequest, $"Permission '{permission}' is unknown; it must be one of GetAvailablePermissionList");
        if (!grant && userId == call.CallerId && name == PermissionNames.Operator)
            throw new GatewayException(ErrorCode.OperationFailed, "An operator cannot revoke its own Operator permission; the gateway always keeps one operator");

        // No one grants (or takes away) more than they hold, and "they" is the session, narrowed to its key's permissions.
        if (!call.Holds(name))
            throw new GatewayException(ErrorCode.NotAuthorized, $"You cannot {(grant ? "grant" : "revoke")} {name}: this session does not hold it");

        var changed = false;
        await writer.WriteAsync(call.Audit, async tx =>
        {
            if (!await UserStore.ExistsAsync(tx, userId.Value).ConfigureAwait(false))
                throw new GatewayException(ErrorCode.ResourceNotFound, $"UserId {userId} does not exist");
            await tx.AuditChangeAsync(AuditStates.Permissions(userId.Value)).ConfigureAwait(false);

            if (grant)
            {
                changed = await PermissionStore.GrantAsync(tx, userId.Value, name).ConfigureAwait(false);
                tx.Change = changed ? $"granted {name} to user {userId}" : $"no change: user {userId} already holds {name}";
            }
            else
            {
                if (!await PermissionStore.RevokeAsync(tx, userId.Value, name).ConfigureAwait(false))
                    throw new GatewayException(ErrorCode.ResourceNotFound, $"user {userId} does not hold {name}");
                tx.Change = $"revoked {name} from user {userId}";
                changed = true;
            }
        }, ct).ConfigureAwait(false);
        if (changed)
            await writer.AfterCommitAsync(() => security.PermissionChanged(grant, name, userId.Value, call), ct).ConfigureAwait(false);
    }
}
