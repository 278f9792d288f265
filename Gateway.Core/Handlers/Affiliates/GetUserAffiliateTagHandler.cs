using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>GetUserAffiliateTag: an array of zero or one <c>{"OMSId","UserId","AffiliateId","AffiliateTag"}</c>.</summary>
public sealed class GetUserAffiliateTagHandler(UserStore users, AffiliateTagStore tags) : IHandler<AffiliateTagRequest, IReadOnlyList<AffiliateTagInfo>>
{
    /// <inheritdoc />
    public static string Name => "GetUserAffiliateTag";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AffiliateTagInfo>> HandleAsync(AffiliateTagRequest request, CallContext call, CancellationToken ct)
    {
        var userId = AffiliateTagRules.TargetUser(request, call);
        if (await users.FindAsync(userId, ct).ConfigureAwait(false) is null)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {userId} does not exist");
        var tag = await tags.OfUserAsync(userId, ct).ConfigureAwait(false);
        return tag is null ? [] : [new AffiliateTagInfo(tag.OMSId, tag.UserId, tag.AffiliateId, tag.Tag)];
    }
}

/// <summary>A user's tag as calls answer it.</summary>
/// <param name="OMSId">Always 1.</param>
/// <param name="UserId">The holder.</param>
/// <param name="AffiliateId">Assigned when the tag was added.</param>
/// <param name="AffiliateTag">The tag's text.</param>
public sealed record AffiliateTagInfo(int OMSId, int UserId, int AffiliateId, string AffiliateTag);
