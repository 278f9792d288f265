using Dapper;

namespace Gateway.Core.Storage;

/// <summary>The stored replies of calls made with a ClientRequestId, keyed by (caller's UserId, ClientRequestId).</summary>
public sealed class ClientRequestStore(Database database)
{
    private const string FindSql = """
        SELECT Function, RequestHash, ErrorCode, Reply, CreatedAt FROM client_requests
        WHERE UserId = @UserId AND RequestId = @RequestId AND CreatedAt >= @Since
        """;

    // An expired row not swept yet is replaced: the id is free again once its retention has passed.
    private const string SaveSql = """
        INSERT OR REPLACE INTO client_requests (UserId, RequestId, Function, RequestHash, ErrorCode, Reply, CreatedAt)
        VALUES (@UserId, @RequestId, @Function, @RequestHash, @ErrorCode, @Reply, @CreatedAt)
        """;

    private const string SweepSql = "DELETE FROM client_requests WHERE CreatedAt < @Before";

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

    /// <summary>Stores the reply of (<paramref name="userId"/>, <paramref name="requestId"/>).</summary>
    public static Task SaveAsync(WriteTransaction tx, int userId, string requestId, StoredReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return tx.ExecuteAsync(SaveSql, new
        {
            UserId = userId,
            RequestId = requestId,
            reply.Function,
            reply.RequestHash,
            reply.ErrorCode,
            reply.Reply,
            reply.CreatedAt,
        });
    }

    /// <summary>Deletes the replies stored before <paramref name="before"/>; the number deleted.</summary>
    public static Task<int> SweepAsync(WriteTransaction tx, DateTimeOffset before) =>
        tx.ExecuteAsync(SweepSql, new { Before = Timestamps.Iso(before) });
}
