using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Events;

/// <summary>Whose events a caller may follow: its own always; another user's, or every user's (0), as an Operator only.</summary>
internal static class UserEventsScope
{
    public static async Task<int> ResolveAsync(int? requested, CallContext call, UserLookup lookup, CancellationToken ct)
    {
        var caller = call.CallerId;
        if (requested is not { } userId || userId == caller)
            return caller;
        if (!call.IsOperator)
            throw new GatewayException(ErrorCode.NotAuthorized, $"{call.Function} may only follow your own user ({caller}), not {(userId == 0 ? "every user (0)" : $"user {userId}")}");
        if (userId < 0)
            throw new GatewayException(ErrorCode.InvalidRequest, $"UserId must be 0 (every user) or a user's id, not {userId}");
        if (userId > 0)
            await lookup.ResolveIdAsync(userId, null, call, callerWhenAbsent: false, ct).ConfigureAwait(false);
        return userId;
    }
}
