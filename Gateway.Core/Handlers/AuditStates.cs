using System.Text.Json;
using Gateway.Core.Handlers.Accounts;
using Gateway.Core.Handlers.ApiKeys;
using Gateway.Core.Handlers.Config;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers;

/// <summary>
/// What each kind of write changes, for the audit record's targets and its Before and After: the entity read inside
/// the write's transaction and written exactly as the read call answers it (never a secret).
/// </summary>
public static class AuditStates
{
    private static HandlerJsonContext Json => HandlerJson.Context;

    /// <summary>A user change: the user as GetUserInfo answers it.</summary>
    public static AuditSubject User(int userId) => new(userId, null, async tx =>
        await UserStore.FindAsync(tx, userId).ConfigureAwait(false) is { } row ? JsonSerializer.Serialize(UserInfo.From(row), Json.UserInfo) : null);

    /// <summary>An account change: the account as GetAccountInfo answers it.</summary>
    public static AuditSubject Account(int accountId) => new(null, accountId, async tx =>
        await AccountStore.FindAsync(tx, accountId).ConfigureAwait(false) is { } row ? JsonSerializer.Serialize(AccountInfo.From(row), Json.AccountInfo) : null);

    /// <summary>A permission change: <c>{"Permissions":[...]}</c> as GetUserPermissions answers.</summary>
    public static AuditSubject Permissions(int userId) => new(userId, null, async tx =>
        JsonSerializer.Serialize(new PermissionsState(await PermissionStore.HeldAsync(tx, userId).ConfigureAwait(false)), Json.PermissionsState));

    /// <summary>A link change between the user and the account: <c>{"AccountIds":[...]}</c> as GetUserAccounts answers.</summary>
    public static AuditSubject Links(int userId, int accountId) => new(userId, accountId, async tx =>
        JsonSerializer.Serialize(new LinksState(await AccountUserStore.AccountsOfUserAsync(tx, userId).ConfigureAwait(false)), Json.LinksState));

    /// <summary>A tag change: <c>{"AffiliateId","AffiliateTag"}</c>, null while the user has no tag.</summary>
    public static AuditSubject Tag(int userId) => new(userId, null, async tx =>
        await AffiliateTagStore.OfUserAsync(tx, userId).ConfigureAwait(false) is { } tag
            ? JsonSerializer.Serialize(new TagState(tag.AffiliateId, tag.Tag), Json.TagState)
            : null);

    /// <summary>A user-config change: <c>{"UserConfig":[...]}</c> as GetUserConfig answers.</summary>
    public static AuditSubject UserConfig(int userId) => new(userId, null, async tx =>
        JsonSerializer.Serialize(new UserConfigState(await ConfigStore.ListAsync(tx, ConfigStore.Owner.User, userId).ConfigureAwait(false)), Json.UserConfigState));

    /// <summary>An account-config change: <c>{"AccountConfig":[...]}</c> as GetAccountConfig answers.</summary>
    public static AuditSubject AccountConfig(int accountId) => new(null, accountId, async tx =>
        JsonSerializer.Serialize(new AccountConfigState(await ConfigStore.ListAsync(tx, ConfigStore.Owner.Account, accountId).ConfigureAwait(false)), Json.AccountConfigState));

    /// <summary>A key change: <c>{"APIKeys":[...]}</c> as GetUserAPIKeys answers, without secrets.</summary>
    public static AuditSubject ApiKeys(int userId) => new(userId, null, async tx =>
    {
        var keys = await ApiKeyStore.OfUserAsync(tx, userId).ConfigureAwait(false);
        return JsonSerializer.Serialize(new ApiKeysState([.. keys.Select(k => new ApiKeyInfo(k.APIKey, userId, k.PermissionList))]), Json.ApiKeysState);
    });
}

/// <summary>A user's permissions in an audit record.</summary>
/// <param name="Permissions">The names held, as GetUserPermissions answers.</param>
public sealed record PermissionsState(IReadOnlyList<string> Permissions);

/// <summary>A user's links in an audit record.</summary>
/// <param name="AccountIds">The linked accounts, ascending, as GetUserAccounts answers.</param>
public sealed record LinksState(IReadOnlyList<int> AccountIds);

/// <summary>A user's affiliate tag in an audit record.</summary>
/// <param name="AffiliateId">Assigned when the tag was added.</param>
/// <param name="AffiliateTag">The tag's text.</param>
public sealed record TagState(int AffiliateId, string AffiliateTag);

/// <summary>A user's API keys in an audit record.</summary>
/// <param name="APIKeys">The keys as GetUserAPIKeys answers, without secrets.</param>
public sealed record ApiKeysState(IReadOnlyList<ApiKeyInfo> APIKeys);
