using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>AddUserAffiliateTag (seed 003): gives the user its tag, or replaces the one it holds; done when it answers.</summary>
public sealed class AddUserAffiliateTagHandler(DbWriter writer) : IHandler<AffiliateTagRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "AddUserAffiliateTag";

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
            var current = await AffiliateTagRules.CurrentAsync(tx, userId, request.AffiliateId).ConfigureAwait(false);
            await AffiliateTagRules.EnsureFreeAsync(tx, tag, userId).ConfigureAwait(false);
            if (current is null)
            {
                var affiliateId = await AffiliateTagStore.AddAsync(tx, userId, tag).ConfigureAwait(false);
                tx.Change = $"user {userId} tagged '{tag}' with AffiliateId {affiliateId}";
            }
            else if (current.Tag != tag)
            {
                await AffiliateTagStore.RenameAsync(tx, userId, tag).ConfigureAwait(false);
                tx.Change = $"user {userId} tag changed from '{current.Tag}' to '{tag}'";
            }
            else
            {
                tx.Change = $"no change: user {userId} already holds '{tag}'";
            }
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
