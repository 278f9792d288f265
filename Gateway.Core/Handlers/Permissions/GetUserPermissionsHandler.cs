using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Permissions;

/// <summary>GetUserPermissions: the names a user holds, sorted; <c>{}</c> is the caller.</summary>
public sealed class GetUserPermissionsHandler(UserLookup lookup, PermissionStore permissions) : IHandler<UserRequest, ReadOnlyMemory<string>>
{
    /// <inheritdoc />
    public static string Name => "GetUserPermissions";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<ReadOnlyMemory<string>> HandleAsync(UserRequest request, CallContext call, CancellationToken ct)
    {
        var userId = await lookup.ResolveIdAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        return await permissions.HeldNamesAsync(userId, ct).ConfigureAwait(false);
    }
}
