using System.Globalization;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers;

/// <summary>
/// How the calls of calls-next.md name a user (<c>UserId</c>/<c>UserName</c>) or an account
/// (<c>AccountId</c>/<c>AccountHandle</c>). A scoped caller naming anyone but itself or its linked accounts gets 20
/// before any lookup, so the answer never tells it whether the target exists.
/// </summary>
public sealed class TargetLookup(UserStore users, AccountStore accounts)
{
    /// <summary>The detail of a scoped caller's refusal, the same whether the target exists or not.</summary>
    public const string OnlyYourOwn = "you may act only on yourself and your linked accounts";

    /// <summary>
    /// The user named by <paramref name="userId"/> and/or <paramref name="userName"/> (both must name the same user: 100);
    /// neither names the caller when <paramref name="callerWhenAbsent"/>, else 100; an unknown user is 104.
    /// </summary>
    public async Task<UserRow> UserAsync(int? userId, string? userName, CallContext call, bool callerWhenAbsent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var byId = userId is > 0 ? userId : null;
        var byName = string.IsNullOrEmpty(userName) ? null : userName;
        if (byId is null && byName is null)
        {
            if (!callerWhenAbsent)
                throw new GatewayException(ErrorCode.InvalidRequest, "UserId or UserName is required");
            byId = call.CallerId;
        }
        if (call.Scoped)
            return await OwnUserAsync(byId, byName, call, ct).ConfigureAwait(false);

        var user = byId is not null
            ? await users.FindAsync(byId.Value, ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {byId} does not exist")
            : await users.FindByNameAsync(byName!, ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"userName '{byName}' does not exist");
        if (byId is not null && byName is not null && !string.Equals(user.UserNameKey, UserNames.Key(byName), StringComparison.Ordinal))
            throw new GatewayException(ErrorCode.InvalidRequest, "UserId and UserName name different users");
        return user;
    }

    /// <summary>
    /// The account named by <paramref name="accountId"/> and/or <paramref name="handle"/> (both must name the same
    /// account: 100); neither is 100, an unknown account 104.
    /// </summary>
    public async Task<AccountRow> AccountAsync(int? accountId, string? handle, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var byId = accountId is > 0 ? accountId : null;
        var byHandle = string.IsNullOrEmpty(handle) ? null : handle.Trim();
        if (byId is null && byHandle is null)
            throw new GatewayException(ErrorCode.InvalidRequest, "AccountId or AccountHandle is required");
        if (call.Scoped)
        {
            // Only the caller's own accounts are looked at, so nothing is learnt about any other.
            var own = await accounts.OfUserAsync(call.CallerId, ct).ConfigureAwait(false);
            var ofId = byId is null ? null : own.FirstOrDefault(a => a.AccountId == byId) ?? throw Refused();
            var ofHandle = byHandle is null ? null : own.FirstOrDefault(a => string.Equals(a.AccountHandle, byHandle, StringComparison.OrdinalIgnoreCase)) ?? throw Refused();
            if (ofId is not null && ofHandle is not null && ofId.AccountId != ofHandle.AccountId)
                throw new GatewayException(ErrorCode.InvalidRequest, "AccountId and AccountHandle name different accounts");
            return (ofId ?? ofHandle)!;
        }

        var account = byId is not null
            ? await accounts.FindAsync(byId.Value, ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"accountId {byId} does not exist")
            : await accounts.FindByHandleAsync(byHandle!, ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"accountHandle '{byHandle}' does not exist");
        if (byId is not null && byHandle is not null && !string.Equals(account.AccountHandle, byHandle, StringComparison.OrdinalIgnoreCase))
            throw new GatewayException(ErrorCode.InvalidRequest, "AccountId and AccountHandle name different accounts");
        return account;
    }

    /// <summary>20 with <see cref="OnlyYourOwn"/>.</summary>
    public static GatewayException Refused() => new(ErrorCode.NotAuthorized, OnlyYourOwn);

    // A scoped caller: compared with its own row only; any other name or id is refused before anything is looked up.
    private async Task<UserRow> OwnUserAsync(int? byId, string? byName, CallContext call, CancellationToken ct)
    {
        if (byId is not null && byId != call.CallerId)
            throw Refused();
        var self = await users.FindAsync(call.CallerId, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {call.CallerId.ToString(CultureInfo.InvariantCulture)} does not exist");
        if (byName is not null && !string.Equals(self.UserNameKey, UserNames.Key(byName), StringComparison.Ordinal))
            throw Refused();
        return self;
    }
}
