using System.Data.Common;
using Dapper;

namespace Gateway.Core.Storage;

/// <summary>
/// The audit trail: one row per successful write, written in the write's own transaction and chained to the row before
/// it by its hash (<see cref="AuditHash"/>). Rows are only appended.
/// </summary>
public sealed class AuditLog(TimeProvider time, Database database)
{
    private const string Columns = "Id, At, UserId, SessionId, Function, Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash";

    private const string Filter = """
        WHERE (@UserId IS NULL OR UserId = @UserId)
          AND (@TargetUserId IS NULL OR TargetUserId = @TargetUserId)
          AND (@AccountId IS NULL OR TargetAccountId = @AccountId)
          AND (@Function IS NULL OR Function = @Function COLLATE NOCASE)
          AND (@FromTime IS NULL OR At >= @FromTime)
          AND (@ToTime IS NULL OR At <= @ToTime)
          AND (@FromId IS NULL OR Id > @FromId)
        """;

    private const string NewestFirstSql = $"SELECT {Columns} FROM audit_log {Filter} ORDER BY Id DESC LIMIT @Limit OFFSET @StartIndex";
    private const string OldestFirstSql = $"SELECT {Columns} FROM audit_log {Filter} ORDER BY Id LIMIT @Limit OFFSET @StartIndex";

    /// <summary>A stored audit record; Payload, Before and After are JSON text, Before and After null where there was nothing.</summary>
    public sealed record AuditRow(
        long Id, string At, long UserId, string? SessionId, string Function, string Payload, string Change,
        long? TargetUserId, long? TargetAccountId, string? Before, string? After, string? Hash);

    /// <summary>
    /// A filter over the audit log; null filters match everything. <paramref name="UserId"/> is the actor,
    /// <paramref name="TargetUserId"/> the user changed, <paramref name="AccountId"/> the account changed. Times are ISO-8601 UTC.
    /// With <paramref name="FromId"/> the records after that Id come oldest first, else newest first.
    /// </summary>
    public sealed record AuditQuery(
        int? UserId, string? Function, string? FromTime, string? ToTime, int StartIndex, int Limit,
        int? TargetUserId = null, int? AccountId = null, long? FromId = null);

    /// <summary>The records matching <paramref name="query"/>: newest first, or oldest first after <see cref="AuditQuery.FromId"/>.</summary>
    public async Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        var sql = query.FromId is null ? NewestFirstSql : OldestFirstSql;
        return (await db.QueryAsync<AuditRow>(new CommandDefinition(sql, query, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    // Read in the write's own transaction, so a row rolled back to its savepoint is never anyone's predecessor.
    private const string LastSql = "SELECT Id, Hash FROM audit_log ORDER BY Id DESC LIMIT 1";

    private const string Insert = """
        INSERT INTO audit_log (Id, At, UserId, SessionId, Function, Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash)
        VALUES (@Id, @At, @UserId, @SessionId, @Function, @Payload, @Change, @TargetUserId, @TargetAccountId, @Before, @After, @Hash)
        """;

    /// <summary>The newest row of the log as the writer's open transaction holds it: the one a new row chains to.</summary>
    internal readonly record struct AuditHead(long Id, string? Hash);

    /// <summary>
    /// Appends the record of the work done in <paramref name="tx"/> (none when it changed nothing). <paramref name="head"/>
    /// is the newest row when the caller knows it (the writer, after an append of its own in the same transaction);
    /// null reads it.
    /// </summary>
    internal async Task<AuditRow?> AppendAsync(WriteTransaction tx, AuditEntry entry, AuditHead? head = null, AuditPayload.Prepared? payload = null)
    {
        if (tx.Unchanged)
            return null;
        payload ??= AuditPayload.Prepare(entry.Payload.Span);
        // No row yet reads as (0, null): the first row is Id 1 and chains to the genesis hash.
        var (lastId, lastHash) = head is { } known
            ? (known.Id, known.Hash)
            : await tx.FirstOrDefaultAsync<(long Id, string? Hash)>(LastSql).ConfigureAwait(false);
        var row = new AuditRow(
            lastId + 1, Timestamps.Iso(time.GetUtcNow()), entry.UserId, entry.SessionId, entry.Function,
            payload.Text, tx.Change ?? "ok", tx.TargetUserId, tx.TargetAccountId, tx.Before,
            await tx.ReadAfterAsync().ConfigureAwait(false), Hash: null);
        row = row with { Hash = AuditHash.Of(lastHash ?? AuditHash.Genesis, row, payload.Canonical) };
        await tx.ExecuteAsync(Insert, row).ConfigureAwait(false);
        return row;
    }

    private const string BetweenSql = $"SELECT {Columns} FROM audit_log WHERE Id > @After AND Id < @Before ORDER BY Id";
    private const string AfterSql = $"SELECT {Columns} FROM audit_log WHERE Id > @After ORDER BY Id LIMIT @Limit";
    private const string NewestSql = "SELECT coalesce(max(Id), 0) FROM audit_log";

    /// <summary>The rows with Ids strictly between <paramref name="after"/> and <paramref name="before"/>, oldest first, read in the transaction.</summary>
    internal static async Task<IReadOnlyList<AuditRow>> BetweenAsync(WriteTransaction tx, long after, long before) =>
        [.. await tx.QueryAsync<AuditRow>(BetweenSql, new { After = after, Before = before }).ConfigureAwait(false)];

    /// <summary>Up to <paramref name="limit"/> rows after <paramref name="after"/>, oldest first, read on <paramref name="db"/>.</summary>
    internal static async Task<IReadOnlyList<AuditRow>> AfterAsync(DbConnection db, long after, int limit, CancellationToken ct) =>
        (await db.QueryAsync<AuditRow>(new CommandDefinition(AfterSql, new { After = after, Limit = limit }, cancellationToken: ct)).ConfigureAwait(false)).AsList();

    /// <summary>The newest Id in the log (0 for an empty log), read on <paramref name="db"/>.</summary>
    internal static Task<long> NewestIdAsync(DbConnection db, CancellationToken ct) =>
        db.ExecuteScalarAsync<long>(new CommandDefinition(NewestSql, cancellationToken: ct));

    /// <summary>The newest Id in the write's transaction (0 for an empty log).</summary>
    internal static async Task<long> LastIdAsync(WriteTransaction tx) =>
        (await tx.FirstOrDefaultAsync<(long Id, string? Hash)>(LastSql).ConfigureAwait(false)).Id;
}
