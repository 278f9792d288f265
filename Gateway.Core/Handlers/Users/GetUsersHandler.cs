using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Users;

/// <summary>GetUsers: a page of user objects by ascending UserId, filtered; the operators' listing of every user.</summary>
public sealed class GetUsersHandler(UserStore users, Listing listing, PermissionCatalog permissions) : IHandler<GetUsersRequest, IReadOnlyList<UserInfo>>
{
    /// <summary>The page size when the request gives none.</summary>
    public const int DefaultLimit = 100;

    /// <inheritdoc />
    public static string Name => "GetUsers";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserInfo>> HandleAsync(GetUsersRequest request, CallContext call, CancellationToken ct)
    {
        var (start, limit) = listing.Page(request.StartIndex, request.Limit, DefaultLimit);
        var search = Listing.Search(request.Search);
        string? permission = null;
        if (!string.IsNullOrEmpty(request.Permission) && !permissions.TryCanonical(request.Permission, out permission))
            throw new GatewayException(ErrorCode.InvalidRequest, "Permission must be one of GetAvailablePermissionList");
        var filter = new UserFilter(start, limit)
        {
            NameNeedle = search is null ? null : UserNames.Key(search),
            EmailNeedle = search,
            Locked = request.Locked,
            EmailVerified = request.EmailVerified,
            Active = request.Active,
            RefererId = request.RefererId is > 0 ? request.RefererId : null,
            Permission = permission,
            CreatedFrom = Listing.Time(request.CreatedFrom, nameof(request.CreatedFrom)) is { } from ? Timestamps.Iso(from) : null,
            CreatedTo = Listing.Time(request.CreatedTo, nameof(request.CreatedTo)) is { } to ? Timestamps.Iso(to) : null,
        };
        return [.. (await users.ListAsync(filter, ct).ConfigureAwait(false)).Select(UserInfo.From)];
    }
}
