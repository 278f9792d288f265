using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.ApiKeys;

/// <summary>GetUserAPIKeys: a user's keys, oldest first, without their secrets.</summary>
public sealed class GetUserAPIKeysHandler(UserLookup lookup, ApiKeyStore apiKeys) : IHandler<ApiKeyRequest, IReadOnlyList<ApiKeyInfo>>
{
    /// <inheritdoc />
    public static string Name => "GetUserAPIKeys";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ApiKeyInfo>> HandleAsync(ApiKeyRequest request, CallContext call, CancellationToken ct)
    {
        var userId = await lookup.ResolveIdAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        var keys = await apiKeys.OfUserAsync(userId, ct).ConfigureAwait(false);
        return keys.Select(k => new ApiKeyInfo(k.APIKey, userId, k.PermissionList)).ToList();
    }
}
