using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;

namespace Gateway.Core.Resources;

/// <summary>How a request to the accountUsers resource ended; the host maps each to its HTTP status.</summary>
public enum AccountUsersStatus
{
    /// <summary>201: the link was made.</summary>
    Created,
    /// <summary>200: the user was already linked to this account; nothing changed.</summary>
    Existing,
    /// <summary>409: the user is linked to other accounts and override was not asked for.</summary>
    Conflict,
    /// <summary>400: the request contradicts itself or lacks a key.</summary>
    BadRequest,
    /// <summary>404: no such account or user.</summary>
    NotFound,
}

/// <summary>The outcome: a body on success, a detail (and the other accounts, for 409) on refusal.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Body">The link, for Created and Existing.</param>
/// <param name="Detail">Why it was refused.</param>
/// <param name="AccountIds">For Conflict: the accounts the user is linked to.</param>
public sealed record AccountUsersOutcome(AccountUsersStatus Status, AccountUserDto? Body = null, string? Detail = null, IReadOnlyList<int>? AccountIds = null);

/// <summary><c>POST</c> and <c>GET /accounts/{accountId}/accountUsers</c> (seed 004): links found by ExternalUserId.</summary>
public sealed class AccountUsersResource(DbWriter writer, Database database)
{
    /// <summary>The function name audit records carry for this resource.</summary>
    public const string AuditName = "POST /accounts/{accountId}/accountUsers";

    /// <summary>Links the user with <c>ExternalUserId</c> to the account, moving it off its other accounts when asked.</summary>
    public async Task<AccountUsersOutcome> CreateAsync(int accountId, AccountUserCreateDto request, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.ExternalUserId))
            return new(AccountUsersStatus.BadRequest, Detail: "ExternalUserId is required");
        if (request.AccountId is { } bodyAccount and not 0 && bodyAccount != accountId)
            return new(AccountUsersStatus.BadRequest, Detail: $"The body's AccountId {bodyAccount} differs from the path's accountId {accountId}");
        try
        {
            return await writer.WriteAsync(call, tx => LinkAsync(tx, accountId, request), ct).ConfigureAwait(false);
        }
        catch (RefusedException refused)
        {
            return refused.Outcome;
        }
    }

    /// <summary>Every link of the account, or null when there is no such account.</summary>
    public async Task<IReadOnlyList<AccountUserDto>?> ListAsync(int accountId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = db.BeginTransaction(deferred: true);
        using var reader = new WriteTransaction(db, tx, ct);
        var account = await AccountStore.FindAsync(reader, accountId).ConfigureAwait(false);
        if (account is null)
            return null;
        var links = await reader.QueryAsync<LinkIds>(LinksOfAccountSql, new { AccountId = accountId }).ConfigureAwait(false);
        var result = new List<AccountUserDto>();
        foreach (var link in links)
            result.Add(await DtoAsync(reader, link.Id, (await UserStore.FindAsync(reader, (int)link.UserId).ConfigureAwait(false))!, account).ConfigureAwait(false));
        return result;
    }

    private const string UserByExternalIdSql = "SELECT UserId FROM users WHERE ExternalUserId = @ExternalUserId";
    private const string AccountsOfUserSql = "SELECT AccountId FROM user_accounts WHERE UserId = @UserId ORDER BY AccountId";
    private const string LinkIdSql = "SELECT Id FROM user_accounts WHERE UserId = @UserId AND AccountId = @AccountId";
    private const string LinksOfAccountSql = "SELECT Id, UserId FROM user_accounts WHERE AccountId = @AccountId ORDER BY Id";
    private const string PermissionsSql = "SELECT Id, AccountUserId, Permission FROM user_account_permissions WHERE AccountUserId = @LinkId ORDER BY Permission";
    private const string UserTypeSql = "UPDATE users SET UserType = @UserType WHERE UserId = @UserId";

    private sealed record LinkIds(long Id, long UserId);

    private sealed record PermissionRow(long Id, long AccountUserId, long Permission);

    private static async Task<AccountUsersOutcome> LinkAsync(WriteTransaction tx, int accountId, AccountUserCreateDto request)
    {
        var account = await AccountStore.FindAsync(tx, accountId).ConfigureAwait(false)
            ?? throw Refuse(AccountUsersStatus.NotFound, $"Account {accountId} does not exist");
        var userId = await tx.ScalarAsync<int?>(UserByExternalIdSql, new { request.ExternalUserId }).ConfigureAwait(false)
            ?? throw Refuse(AccountUsersStatus.NotFound, $"No user has ExternalUserId '{request.ExternalUserId}'");
        var linked = (await tx.QueryAsync<int>(AccountsOfUserSql, new { UserId = userId }).ConfigureAwait(false)).ToList();
        var user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        if (linked.Contains(accountId))
        {
            tx.Change = $"no change: user {userId} was already linked to account {accountId}";
            var existing = await tx.ScalarAsync<long>(LinkIdSql, new { UserId = userId, AccountId = accountId }).ConfigureAwait(false);
            return new(AccountUsersStatus.Existing, await DtoAsync(tx, existing, user, account).ConfigureAwait(false));
        }
        if (linked.Count > 0 && !request.Override)
            throw Refuse(AccountUsersStatus.Conflict, $"User {userId} already belongs to account(s) {string.Join(", ", linked)}; set OrverrideExistingMembership (as documented) or OverrideExistingMembership to true to move it", linked);

        foreach (var other in linked)
        {
            await UserAccountStore.UnlinkAsync(tx, user, other).ConfigureAwait(false);
            user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        }
        if (request.UserType is { } userType)
            await tx.ExecuteAsync(UserTypeSql, new { UserId = userId, UserType = userType }).ConfigureAwait(false);
        await UserAccountStore.LinkAsync(tx, user, account).ConfigureAwait(false);
        user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        var linkId = await tx.ScalarAsync<long>(LinkIdSql, new { UserId = userId, AccountId = accountId }).ConfigureAwait(false);
        tx.Change = linked.Count > 0
            ? $"user {userId} moved from account(s) {string.Join(", ", linked)} to account {accountId}"
            : $"user {userId} linked to account {accountId}";
        return new(AccountUsersStatus.Created, await DtoAsync(tx, linkId, user, account).ConfigureAwait(false));
    }

    private static async Task<AccountUserDto> DtoAsync(WriteTransaction tx, long linkId, UserRow user, AccountRow account)
    {
        var permissions = await tx.QueryAsync<PermissionRow>(PermissionsSql, new { LinkId = linkId }).ConfigureAwait(false);
        return new AccountUserDto(linkId, user.UserId, account.AccountId,
            new AccountDto(account.AccountId, account.AccountName, account.AccountType, account.TFCNumber, account.StreetAddress ?? "",
                account.City ?? "", account.State ?? "", account.ZipCode ?? "", account.Country ?? "", account.ViewLineItemPermissionFlag,
                account.OrderLineItemPermissionFlag, account.HidePricingInformation, []),
            new UserDto(user.UserId, user.FederatedUserId ?? "", user.UserName, user.FirstName ?? "", user.LastName ?? "", user.DisplayName ?? "",
                user.Email ?? "", user.ExternalUserId ?? "", user.EmailOn, user.TFCNumber, user.FOLAccountName ?? "", user.UserType, user.RoleType,
                new UserPreferences { DefaultSiteDashboardViewType = user.DefaultSiteDashboardViewType, DefaultDashboardVendorFilterType = user.DefaultDashboardVendorFilterType },
                user.Active),
            permissions.Select(p => new AccountUserPermissionDto(p.Id, p.AccountUserId, (int)p.Permission)).ToList());
    }

    private static RefusedException Refuse(AccountUsersStatus status, string detail, IReadOnlyList<int>? accountIds = null) =>
        new(new AccountUsersOutcome(status, Detail: detail, AccountIds: accountIds));

    // Thrown inside the write so its transaction rolls back and no audit record is written for a refusal.
    private sealed class RefusedException(AccountUsersOutcome outcome) : Exception(outcome.Detail)
    {
        public AccountUsersOutcome Outcome { get; } = outcome;
    }
}
