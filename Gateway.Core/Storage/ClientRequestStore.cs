using Dapper;

namespace Gateway.Core.Storage;

/// <summary>The stored replies of calls made with a ClientRequestId, keyed by (caller's UserId, ClientRequestId).</summary>
public sealed class ClientRequestStore(Database database)
{
    private const string FindSql = """
        SELECT Function, RequestHash, ErrorCode, Reply, CreatedAt FROM client_requests
        WHERE UserId = @UserId AND RequestId = @RequestId AND CreatedAt >= @Since
        """;

    // One statement: inserts; replaces an expired row not swept yet (its id is free again; the row keeps its Seq, so the
    // sweep may take it a little late); changes nothing when a live row holds the id.
    private const string SaveSql = """
        INSERT INTO client_requests (UserId, RequestId, Function, RequestHash, ErrorCode, Reply, CreatedAt)
        VALUES (@UserId, @RequestId, @Function, @RequestHash, @ErrorCode, @Reply, @CreatedAt)
        ON CONFLICT (UserId, RequestId) DO UPDATE SET Function = excluded.Function, RequestHash = excluded.RequestHash,
            ErrorCode = excluded.ErrorCode, Reply = excluded.Reply, CreatedAt = excluded.CreatedAt
        WHERE client_requests.CreatedAt < @Since
        """;

    // Rows are in time order: everything before the first row still inside the retention goes (all of them when none is).
    private const string SweepSql = """
        DELETE FROM client_requests WHERE Seq < COALESCE(
            (SELECT Seq FROM client_requests WHERE CreatedAt >= @Before ORDER BY Seq LIMIT 1),
            (SELECT MAX(Seq) + 1 FROM client_requests))
        """;

    /// <summary>A stored reply: the call's canonical name, the keyed hash of its request, its errorcode and the sealed reply.</summary>
    public sealed record StoredReply(string Function, byte[] RequestHash, long ErrorCode, byte[] Reply, string CreatedAt);

    /// <summary>The reply stored for (<paramref name="userId"/>, <paramref name="requestId"/>) at or after <paramref name="since"/>, or null.</summary>
    public async Task<StoredReply?> FindAsync(int userId, string requestId, DateTimeOffset since, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<StoredReply>(new CommandDefinition(FindSql,
            new { UserId = userId, RequestId = requestId, Since = Timestamps.Iso(since) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The same, as the transaction sees it (a reply stored earlier in it, but not committed, included).</summary>
    public static Task<StoredReply?> FindAsync(WriteTransaction tx, int userId, string requestId, DateTimeOffset since) =>
        tx.FirstOrDefaultAsync<StoredReply>(FindSql, new { UserId = userId, RequestId = requestId, Since = Timestamps.Iso(since) });

    /// <summary>
    /// Stores the reply of (<paramref name="userId"/>, <paramref name="requestId"/>) unless a reply stored at or after
    /// <paramref name="since"/> holds the id; true when stored.
    /// </summary>
    public static async Task<bool> SaveAsync(WriteTransaction tx, int userId, string requestId, StoredReply reply, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(reply);
        return await tx.ExecuteUncachedAsync(SaveSql, new
        {
            UserId = userId,
            RequestId = requestId,
            reply.Function,
            reply.RequestHash,
            reply.ErrorCode,
            reply.Reply,
            reply.CreatedAt,
            Since = Timestamps.Iso(since),
        }).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes the replies stored before <paramref name="before"/>; the number deleted.</summary>
    public static Task<int> SweepAsync(WriteTransaction tx, DateTimeOffset before) =>
        tx.ExecuteUncachedAsync(SweepSql, new { Before = Timestamps.Iso(before) });
}
