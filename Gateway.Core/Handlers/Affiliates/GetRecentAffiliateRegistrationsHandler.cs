using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>
/// GetRecentAffiliateRegistrations: the users an affiliate (by UserId or by the tag it holds now) referred with
/// DateTimeCreated in [StartDate, EndDate), by ascending UserId; the dates default to the last 30 days.
/// </summary>
public sealed class GetRecentAffiliateRegistrationsHandler(TargetLookup targets, UserStore users, AffiliateTagStore tags, Listing listing, TimeProvider time)
    : IHandler<AffiliateListRequest, IReadOnlyList<UserInfo>>
{
    /// <summary>How far back StartDate goes from EndDate when it is not given.</summary>
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(30);

    /// <inheritdoc />
    public static string Name => "GetRecentAffiliateRegistrations";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<UserInfo>> HandleAsync(AffiliateListRequest request, CallContext call, CancellationToken ct)
    {
        var (start, limit) = listing.Page(request.StartIndex, request.Limit);
        var end = Listing.Time(request.EndDate, nameof(request.EndDate)) ?? time.GetUtcNow();
        var from = Listing.Time(request.StartDate, nameof(request.StartDate)) ?? end - DefaultSpan;
        if (from >= end)
            throw new GatewayException(ErrorCode.InvalidRequest, "StartDate must be before EndDate");
        var affiliate = await AffiliateAsync(request, call, ct).ConfigureAwait(false);
        var filter = new UserFilter(start, limit) { RefererId = affiliate, CreatedFrom = Timestamps.Iso(from), CreatedTo = Timestamps.Iso(end) };
        return [.. (await users.ListAsync(filter, ct).ConfigureAwait(false)).Select(UserInfo.From)];
    }

    private async Task<int> AffiliateAsync(AffiliateListRequest request, CallContext call, CancellationToken ct)
    {
        var byId = request.UserId is > 0 ? request.UserId : null;
        if (string.IsNullOrEmpty(request.Tag))
        {
            if (byId is null)
                throw new GatewayException(ErrorCode.InvalidRequest, "UserId or Tag is required");
            return (await targets.UserAsync(byId, null, call, callerWhenAbsent: false, ct).ConfigureAwait(false)).UserId;
        }
        var holder = await tags.FindAsync(request.Tag, ct).ConfigureAwait(false)
            ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"affiliate tag '{request.Tag}' does not exist");
        if (byId is not null && byId != holder.UserId)
            throw new GatewayException(ErrorCode.InvalidRequest, "UserId and Tag name different users");
        return holder.UserId;
    }
}
