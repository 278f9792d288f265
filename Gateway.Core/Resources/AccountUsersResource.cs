using System.Globalization;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Resources;

/// <summary>What <c>POST /accounts/{accountId}/accountUsers</c> did: made the link (201) or found it made (200).</summary>
/// <param name="Created">True when the link is new.</param>
/// <param name="Link">The link.</param>
public sealed record AccountUserLink(bool Created, AccountUserDto Link);

/// <summary>
/// <c>POST</c> and <c>GET /accounts/{accountId}/accountUsers</c> (seed 004): links found by ExternalUserId. Like a
/// handler, it answers or throws a <see cref="GatewayException"/>; the host maps the errorcode to an HTTP status.
/// </summary>
public sealed class AccountUsersResource(DbWriter writer, AccountUserStore links)
{
    /// <summary>The function name audit records carry for this resource.</summary>
    public const string AuditName = "POST /accounts/{accountId}/accountUsers";

    /// <summary>The POST operation as the authorizer sees it: Operator only.</summary>
    public static CallDescriptor Create { get; } = new(AuditName, Access.Operator);

    /// <summary>The GET operation as the authorizer sees it: Operator only.</summary>
    public static CallDescriptor List { get; } = new("GET /accounts/{accountId}/accountUsers", Access.Operator);

    /// <summary>
    /// Links the user with <c>ExternalUserId</c> to the account, moving it off its other accounts when asked.
    /// 100 for a bad path or body, 104 for a missing account or user, 101 (with <c>accountIds</c>) for a user linked elsewhere.
    /// </summary>
    public async ValueTask<AccountUserLink> CreateAsync(string accountId, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = ParseAccountId(accountId);
        var request = Bind(call.Payload.Span);
        if (string.IsNullOrEmpty(request.ExternalUserId))
            throw new GatewayException(ErrorCode.InvalidRequest, "ExternalUserId is required");
        if (request.AccountId is { } bodyAccount and not 0 && bodyAccount != id)
            throw new GatewayException(ErrorCode.InvalidRequest, $"The body's AccountId {bodyAccount} differs from the path's accountId {id}");
        return await writer.WriteAsync(call.Audit, tx => LinkAsync(tx, id, request), ct).ConfigureAwait(false);
    }

    /// <summary>Every link of the account (or the one with <paramref name="linkId"/>); 104 when there is no such account or link.</summary>
    public async ValueTask<IReadOnlyList<AccountUserDto>> ListAsync(string accountId, long? linkId, CancellationToken ct)
    {
        var id = ParseAccountId(accountId);
        var (account, found) = await links.LinksOfAccountAsync(id, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"Account {id} does not exist");
        var dtos = found.Where(l => linkId is null || l.Id == linkId).Select(l => Dto(l, account)).ToList();
        if (linkId is not null && dtos.Count == 0)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"Account {id} has no accountUser {linkId}");
        return dtos;
    }

    private static int ParseAccountId(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new GatewayException(ErrorCode.InvalidRequest, $"accountId in the path must be a positive integer, not '{text}'");

    private static AccountUserCreateDto Bind(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, ResourceJson.Context.AccountUserCreateDto) ?? new AccountUserCreateDto();
        }
        catch (JsonException e)
        {
            throw new GatewayException(ErrorCode.InvalidRequest, BindingErrors.Describe(e, body, ResourceJson.Context.AccountUserCreateDto, "the accountUsers resource"));
        }
    }

    private static async Task<AccountUserLink> LinkAsync(WriteTransaction tx, int accountId, AccountUserCreateDto request)
    {
        var account = await AccountStore.FindAsync(tx, accountId).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"Account {accountId} does not exist");
        var userId = await AccountUserStore.UserByExternalIdAsync(tx, request.ExternalUserId!).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"No user has ExternalUserId '{request.ExternalUserId}'");
        await tx.AuditChangeAsync(AuditStates.Links(userId, accountId)).ConfigureAwait(false);
        var linked = await AccountUserStore.AccountsOfUserAsync(tx, userId).ConfigureAwait(false);
        var user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        if (linked.Contains(accountId))
        {
            tx.Change = $"no change: user {userId} was already linked to account {accountId}";
            return new(false, Dto(await AccountUserStore.LinkAsync(tx, user, accountId).ConfigureAwait(false), account));
        }
        if (linked.Count > 0 && !request.Override)
        {
            throw new GatewayException(ErrorCode.OperationFailed,
                $"User {userId} already belongs to account(s) {string.Join(", ", linked)}; set OrverrideExistingMembership (as documented) or OverrideExistingMembership to true to move it")
            {
                Extensions = new Dictionary<string, object?> { ["accountIds"] = linked },
            };
        }

        foreach (var other in linked)
        {
            await UserAccountStore.UnlinkAsync(tx, user, other).ConfigureAwait(false);
            user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        }
        if (request.UserType is { } userType)
            await AccountUserStore.SetUserTypeAsync(tx, userId, userType).ConfigureAwait(false);
        await UserAccountStore.LinkAsync(tx, user, account).ConfigureAwait(false);
        user = (await UserStore.FindAsync(tx, userId).ConfigureAwait(false))!;
        tx.Change = linked.Count > 0
            ? $"user {userId} moved from account(s) {string.Join(", ", linked)} to account {accountId}"
            : $"user {userId} linked to account {accountId}";
        return new(true, Dto(await AccountUserStore.LinkAsync(tx, user, accountId).ConfigureAwait(false), account));
    }

    private static AccountUserDto Dto(AccountUserStore.Link link, AccountRow account)
    {
        var user = link.User;
        return new AccountUserDto(link.Id, user.UserId, account.AccountId,
            new AccountDto(account.AccountId, account.AccountName, account.AccountType, account.TFCNumber, account.StreetAddress ?? "",
                account.City ?? "", account.State ?? "", account.ZipCode ?? "", account.Country ?? "", account.ViewLineItemPermissionFlag,
                account.OrderLineItemPermissionFlag, account.HidePricingInformation, []),
            new UserDto(user.UserId, user.FederatedUserId ?? "", user.UserName, user.FirstName ?? "", user.LastName ?? "", user.DisplayName ?? "",
                user.Email ?? "", user.ExternalUserId ?? "", user.EmailOn, user.TFCNumber, user.FOLAccountName ?? "", user.UserType, user.RoleType,
                new UserPreferences { DefaultSiteDashboardViewType = user.DefaultSiteDashboardViewType, DefaultDashboardVendorFilterType = user.DefaultDashboardVendorFilterType },
                user.Active),
            link.Permissions.Select(p => new AccountUserPermissionDto(p.Id, p.AccountUserId, (int)p.Permission)).ToList());
    }
}
