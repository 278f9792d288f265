using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>GetUserAffiliates: the users whose RefererId is the named user, as user objects by ascending UserId.</summary>
public sealed class GetUserAffiliatesHandler(TargetLookup targets, UserStore users, Listing listing) : IHandler<AffiliateListRequest, IReadOnlyList<UserInfo>>
{
    /// <inheritdoc />
    public static string Name => "GetUserAffiliates";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserInfo>> HandleAsync(AffiliateListRequest request, CallContext call, CancellationToken ct)
    {
        var (start, limit) = listing.Page(request.StartIndex, request.Limit);
        var affiliate = await targets.UserAsync(request.UserId, request.UserName, call, callerWhenAbsent: false, ct).ConfigureAwait(false);
        var page = await users.ListAsync(new UserFilter(start, limit) { RefererId = affiliate.UserId }, ct).ConfigureAwait(false);
        return [.. page.Select(UserInfo.From)];
    }
}
