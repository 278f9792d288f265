using System.Text.RegularExpressions;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Affiliates;

/// <summary>What every affiliate-tag call checks: whose tag, the tag's syntax, and the AffiliateId a request may carry.</summary>
public static partial class AffiliateTagRules
{
    /// <summary>The user the request is about (the caller when absent); 20 for a scoped caller naming someone else.</summary>
    public static int TargetUser(AffiliateTagRequest request, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        var userId = request.UserId is > 0 ? request.UserId.Value : call.CallerId;
        call.EnsureMayActOn(userId);
        return userId;
    }

    /// <summary>The tag, or 100 when it is not 1–32 letters, digits, '_' or '-'.</summary>
    public static string ValidTag(string? tag) =>
        tag is not null && TagSyntax().IsMatch(tag)
            ? tag
            : throw new GatewayException(ErrorCode.InvalidRequest, $"affiliateTag must be 1 to 32 letters, digits, '_' or '-', not '{tag}'");

    /// <summary>
    /// The user's row (104 when missing) and current tag. A user without a tag accepts any AffiliateId and ignores it
    /// (clients send the UserId, 1 or 0); a holder accepts 0, absent or its own, and any other value is 104.
    /// </summary>
    public static async Task<AffiliateTagStore.AffiliateTag?> CurrentAsync(WriteTransaction tx, int userId, int? affiliateId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (await UserStore.FindAsync(tx, userId).ConfigureAwait(false) is null)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"userId {userId} does not exist");
        var current = await AffiliateTagStore.OfUserAsync(tx, userId).ConfigureAwait(false);
        if (current is not null && affiliateId is not (null or 0) && current.AffiliateId != affiliateId)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"affiliateId {affiliateId} is not the AffiliateId of user {userId}");
        return current;
    }

    /// <summary>101 when another user already holds <paramref name="tag"/> (ignoring case).</summary>
    public static async Task EnsureFreeAsync(WriteTransaction tx, string tag, int userId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        if (await AffiliateTagStore.FindAsync(tx, tag).ConfigureAwait(false) is { } holder && holder.UserId != userId)
            throw new GatewayException(ErrorCode.OperationFailed, "affiliate tag already in use");
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex TagSyntax();
}
