using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Users;

/// <summary>Finds the user a request names by <c>UserId</c> or <c>UserName</c>, and checks the caller may act on it.</summary>
public sealed class UserLookup(UserStore users)
{
    /// <summary>
    /// The named user: both keys given must name the same user (else 100), neither given means the caller when
    /// <paramref name="callerWhenAbsent"/> (else 100), a missing user is 104, and a scoped caller naming another user is 20.
    /// </summary>
    public async Task<UserRow> ResolveAsync(int? userId, string? userName, CallContext call, bool callerWhenAbsent, CancellationToken ct) =>
        (await ResolveSharedAsync(userId, userName, call, callerWhenAbsent, ct).ConfigureAwait(false)).Clone();

    /// <summary>
    /// The UserId of the named user, with the checks and failures of <see cref="ResolveAsync"/>, for calls that need no
    /// more of the user than its id: the user's row is read where the cache holds it, not copied.
    /// </summary>
    public async ValueTask<int> ResolveIdAsync(int? userId, string? userName, CallContext call, bool callerWhenAbsent, CancellationToken ct) =>
        (await ResolveSharedAsync(userId, userName, call, callerWhenAbsent, ct).ConfigureAwait(false)).UserId;

    // The cache's own row: read here, never handed to a handler.
    private async ValueTask<UserRow> ResolveSharedAsync(int? userId, string? userName, CallContext call, bool callerWhenAbsent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var byId = userId is > 0 ? userId : null;
        var byName = string.IsNullOrEmpty(userName) ? null : userName;
        if (byId is null && byName is null)
        {
            if (!callerWhenAbsent)
                throw new GatewayException(ErrorCode.InvalidRequest, $"{call.Function} needs UserId or UserName");
            byId = call.CallerId;
        }

        var user = byId is not null
            ? await users.SharedAsync(byId.Value, ct).ConfigureAwait(false)
            : await users.SharedByNameAsync(byName!, ct).ConfigureAwait(false);
        if (byId is not null && byName is not null && user is not null && !string.Equals(user.UserNameKey, UserNames.Key(byName), StringComparison.Ordinal))
            throw new GatewayException(ErrorCode.InvalidRequest, "UserId and UserName name different users");
        if (user is null)
        {
            // A scoped caller learns nothing about other users, not even whether they exist.
            call.EnsureMayActOn(byId ?? 0);
            throw new GatewayException(ErrorCode.ResourceNotFound, byId is not null ? $"UserId {byId} does not exist" : $"UserName '{byName}' does not exist");
        }
        call.EnsureMayActOn(user.UserId);
        return user;
    }
}
