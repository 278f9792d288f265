using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Permissions;

/// <summary>RevokeUserPermission: 104 when the permission is not held; an operator cannot revoke its own Operator (101).</summary>
public sealed class RevokeUserPermissionHandler(PermissionChanges changes) : IHandler<PermissionRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RevokeUserPermission";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(PermissionRequest request, CallContext call, CancellationToken ct)
    {
        await changes.RevokeAsync(request.UserId, request.Permission, call, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
