using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>UpdateUserAffiliateTag: replaces the text of the user's tag; 104 when it has none.</summary>
public sealed class UpdateUserAffiliateTagHandler(DbWriter writer) : IHandler<AffiliateTagRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "UpdateUserAffiliateTag";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(AffiliateTagRequest request, CallContext call, CancellationToken ct)
    {
        var userId = AffiliateTagRules.TargetUser(request, call);
        var tag = AffiliateTagRules.ValidTag(request.AffiliateTag);
        await writer.WriteAsync(call.Audit, async tx =>
        {
            await tx.AuditChangeAsync(AuditStates.Tag(userId)).ConfigureAwait(false);
            var current = await AffiliateTagRules.CurrentAsync(tx, userId, request.AffiliateId).ConfigureAwait(false)
                ?? throw new GatewayException(ErrorCode.ResourceNotFound, $"user {userId} has no affiliate tag to update");
            await AffiliateTagRules.EnsureFreeAsync(tx, tag, userId).ConfigureAwait(false);
            await AffiliateTagStore.RenameAsync(tx, userId, tag).ConfigureAwait(false);
            tx.Change = $"user {userId} tag changed from '{current.Tag}' to '{tag}'";
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
