using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Permissions;

/// <summary>AddUserPermission (seed 002): Value 1 or missing grants, 0 revokes (what older clients rely on), anything else is 100.</summary>
public sealed class AddUserPermissionHandler(PermissionChanges changes) : IHandler<PermissionRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "AddUserPermission";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(PermissionRequest request, CallContext call, CancellationToken ct)
    {
        switch (request.Value)
        {
            case null or 1:
                await changes.GrantAsync(request.UserId, request.Permission, call, ct).ConfigureAwait(false);
                break;
            case 0:
                await changes.RevokeAsync(request.UserId, request.Permission, call, ct).ConfigureAwait(false);
                break;
            default:
                throw new GatewayException(ErrorCode.InvalidRequest, $"Value must be 1 to grant or 0 to revoke, not {request.Value}");
        }
        return StandardResponse.Ok;
    }
}

/// <summary><c>{"UserId","Permission","Value"}</c>.</summary>
public sealed class PermissionRequest : IOmsRequest
{
    /// <summary>Whose permission.</summary>
    public int? UserId { get; set; }
    /// <summary>A name from GetAvailablePermissionList, in any casing.</summary>
    public string? Permission { get; set; }
    /// <summary>AddUserPermission only: 1 (or absent) grants, 0 revokes.</summary>
    public int? Value { get; set; }
    /// <inheritdoc />
    public int? OMSId { get; set; }
}
