using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>RemoveUserAffiliateTag: removes the user's tag (an AffiliateTag key, if given, must match); past referrals stay.</summary>
public sealed class RemoveUserAffiliateTagHandler(DbWriter writer) : IHandler<AffiliateTagRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RemoveUserAffiliateTag";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(AffiliateTagRequest request, CallContext call, CancellationToken ct)
    {
        var userId = AffiliateTagRules.TargetUser(request, call);
        await writer.WriteAsync(call.Audit, async tx =>
        {
            await tx.AuditChangeAsync(AuditStates.Tag(userId)).ConfigureAwait(false);
            var current = await AffiliateTagRules.CurrentAsync(tx, userId, request.AffiliateId).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"user {userId} has no affiliate tag");
            if (!string.IsNullOrEmpty(request.AffiliateTag) && !string.Equals(request.AffiliateTag, current.Tag, StringComparison.OrdinalIgnoreCase))
                throw new GatewayException(ErrorCode.ResourceNotFound, $"user {userId} holds '{current.Tag}', not '{request.AffiliateTag}'");
            await AffiliateTagStore.RemoveAsync(tx, userId).ConfigureAwait(false);
            tx.Change = $"user {userId} tag '{current.Tag}' removed";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
