using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>GetUserAffiliateCount: <c>{"Count":N}</c>, the users whose referrer is this user.</summary>
public sealed class GetUserAffiliateCountHandler(UserStore users, AffiliateTagStore tags) : IHandler<AffiliateTagRequest, AffiliateCount>
{
    /// <inheritdoc />
    public static string Name => "GetUserAffiliateCount";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<AffiliateCount> HandleAsync(AffiliateTagRequest request, CallContext call, CancellationToken ct)
    {
        var userId = AffiliateTagRules.TargetUser(request, call);
        if (await users.FindAsync(userId, ct).ConfigureAwait(false) is null)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {userId} does not exist");
        return new AffiliateCount(await tags.ReferralsAsync(userId, ct).ConfigureAwait(false));
    }
}

/// <summary><c>{"Count":N}</c>.</summary>
/// <param name="Count">Users referred.</param>
public sealed record AffiliateCount(int Count);
