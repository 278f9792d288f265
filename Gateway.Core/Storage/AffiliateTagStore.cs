using Dapper;

namespace Gateway.Core.Storage;

/// <summary>Affiliate tags (one per user) and the referrals they bring.</summary>
public sealed class AffiliateTagStore(Database database)
{
    private const string OfUserSql = "SELECT OMSId, UserId, AffiliateId, AffiliateTag FROM affiliate_tags WHERE UserId = @UserId";
    private const string ByTagSql = "SELECT OMSId, UserId, AffiliateId, AffiliateTag FROM affiliate_tags WHERE OMSId = 1 AND AffiliateTag = @Tag";
    private const string InsertSql = """
        INSERT INTO affiliate_tags (OMSId, UserId, AffiliateTag) VALUES (1, @UserId, @Tag) RETURNING AffiliateId
        """;
    private const string UserAffiliateSql = "UPDATE users SET AffiliateId = @AffiliateId WHERE UserId = @UserId";
    private const string RenameSql = "UPDATE affiliate_tags SET AffiliateTag = @Tag WHERE UserId = @UserId";
    private const string DeleteSql = "DELETE FROM affiliate_tags WHERE UserId = @UserId";
    private const string ReferralsSql = "SELECT count(*) FROM users WHERE RefererId = @UserId";

    /// <summary>A stored tag.</summary>
    public sealed record AffiliateTag(int OMSId, int UserId, int AffiliateId, string Tag)
    {
        /// <summary>Dapper's constructor for the <c>AffiliateTag</c> column name.</summary>
        public AffiliateTag(long OMSId, long UserId, long AffiliateId, string AffiliateTag)
            : this((int)OMSId, (int)UserId, (int)AffiliateId, AffiliateTag)
        {
        }
    }

    /// <summary>The tag <paramref name="userId"/> holds, or null.</summary>
    public async Task<AffiliateTag?> OfUserAsync(int userId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<AffiliateTag>(new CommandDefinition(OfUserSql, new { UserId = userId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The tag spelled <paramref name="tag"/> (ignoring case), or null.</summary>
    public async Task<AffiliateTag?> FindAsync(string tag, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<AffiliateTag>(new CommandDefinition(ByTagSql, new { Tag = tag }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>How many users <paramref name="userId"/> referred.</summary>
    public async Task<int> ReferralsAsync(int userId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.ExecuteScalarAsync<int>(new CommandDefinition(ReferralsSql, new { UserId = userId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The tag <paramref name="userId"/> holds as the transaction sees it, or null.</summary>
    public static Task<AffiliateTag?> OfUserAsync(WriteTransaction tx, int userId) => tx.FirstOrDefaultAsync<AffiliateTag>(OfUserSql, new { UserId = userId });

    /// <summary>The tag spelled <paramref name="tag"/> (ignoring case), or null.</summary>
    public static Task<AffiliateTag?> FindAsync(WriteTransaction tx, string tag) => tx.FirstOrDefaultAsync<AffiliateTag>(ByTagSql, new { Tag = tag });

    /// <summary>Gives <paramref name="userId"/> a new tag with a new AffiliateId, recorded on the user too.</summary>
    public static async Task<int> AddAsync(WriteTransaction tx, int userId, string tag)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        var affiliateId = await tx.ScalarAsync<int>(InsertSql, new { UserId = userId, Tag = tag }).ConfigureAwait(false);
        await tx.ExecuteAsync(UserAffiliateSql, new { UserId = userId, AffiliateId = affiliateId }).ConfigureAwait(false);
        return affiliateId;
    }

    /// <summary>Replaces the text of <paramref name="userId"/>'s tag; its AffiliateId stays.</summary>
    public static Task RenameAsync(WriteTransaction tx, int userId, string tag) =>
        tx.ExecuteForUserAsync(userId, RenameSql, new { UserId = userId, Tag = tag });

    /// <summary>Removes <paramref name="userId"/>'s tag; the user's AffiliateId becomes 0 and past referrals stay.</summary>
    public static async Task RemoveAsync(WriteTransaction tx, int userId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        await tx.ExecuteAsync(DeleteSql, new { UserId = userId }).ConfigureAwait(false);
        await tx.ExecuteAsync(UserAffiliateSql, new { UserId = userId, AffiliateId = 0 }).ConfigureAwait(false);
    }
}
