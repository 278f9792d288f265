using Dapper;

namespace Gateway.Core.Storage;

/// <summary>The audit trail: one row per successful write, written in the write's own transaction.</summary>
public sealed class AuditLog(TimeProvider time, Database database)
{
    private const string QuerySql = """
        SELECT Id, At, UserId, SessionId, Function, Payload, Change FROM audit_log
        WHERE (@UserId IS NULL OR UserId = @UserId)
          AND (@Function IS NULL OR Function = @Function COLLATE NOCASE)
          AND (@FromTime IS NULL OR At >= @FromTime)
          AND (@ToTime IS NULL OR At <= @ToTime)
        ORDER BY Id DESC LIMIT @Limit OFFSET @StartIndex
        """;

    /// <summary>A stored audit record.</summary>
    public sealed record AuditRow(long Id, string At, long UserId, string? SessionId, string Function, string Payload, string Change);

    /// <summary>A filter over the audit log; null filters match everything. Times are ISO-8601 UTC.</summary>
    public sealed record AuditQuery(int? UserId, string? Function, string? FromTime, string? ToTime, int StartIndex, int Limit);

    /// <summary>The records matching <paramref name="query"/>, newest first.</summary>
    public async Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await db.QueryAsync<AuditRow>(new CommandDefinition(QuerySql, query, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    private const string Insert = """
        INSERT INTO audit_log (At, UserId, SessionId, Function, Payload, Change)
        VALUES (@At, @UserId, @SessionId, @Function, @Payload, @Change)
        """;

    internal Task AppendAsync(WriteTransaction tx, AuditEntry entry) => tx.ExecuteAsync(Insert, new
    {
        At = Timestamps.Iso(time.GetUtcNow()),
        entry.UserId,
        entry.SessionId,
        entry.Function,
        Payload = AuditPayload.Scrub(entry.Payload.Span),
        Change = tx.Change ?? "ok",
    });
}
