using System.Text.Json;
using Dapper;
using System.Data.Common;

namespace Gateway.Core.Storage;

/// <summary>What walking the audit chain found.</summary>
/// <param name="Ok">True when every row matches its hash.</param>
/// <param name="Rows">How many rows matched, in Id order, up to the first that does not.</param>
/// <param name="LastId">The Id of the last row that matched; 0 when none did.</param>
/// <param name="Head">The Hash of that row; <see cref="AuditHash.Genesis"/> when none did.</param>
/// <param name="BrokenId">The Id of the first row that does not match its hash; null when <paramref name="Ok"/>.</param>
public sealed record AuditVerification(bool Ok, long Rows, long LastId, string Head, long? BrokenId)
{
    /// <summary>The text a caller reports for a broken chain, e.g. <c>audit row 42 does not match its hash</c>; null when ok.</summary>
    public string? Detail => BrokenId is { } id ? $"audit row {id} does not match its hash" : null;
}

/// <summary>
/// The audit log's hash chain: checking it (VerifyAuditLog, <c>admin verify-audit</c>) and giving the rows written
/// before it existed their hashes (the <c>audit_chain</c> migration). Appending is <see cref="AuditLog"/>'s.
/// </summary>
public static class AuditChain
{
    private const string RowsSql = """
        SELECT Id, At, UserId, SessionId, Function, Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash
        FROM audit_log ORDER BY Id
        """;

    private const string PageSql = """
        SELECT Id, At, UserId, SessionId, Function, Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash
        FROM audit_log WHERE Id > @AfterId ORDER BY Id LIMIT 1000
        """;

    private const string SetHashSql = "UPDATE audit_log SET Hash = @Hash WHERE Id = @Id";

    /// <summary>Walks the chain on a pooled connection of <paramref name="database"/>; see <see cref="VerifyAsync(DbConnection, CancellationToken)"/>.</summary>
    public static async Task<AuditVerification> VerifyAsync(Database database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await VerifyAsync(connection, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Recomputes every row's hash in Id order and stops at the first that differs from the stored one. One statement,
    /// so it reads one snapshot and may run beside a live gateway; it changes nothing.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(DbConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (rows, lastId, head) = (0L, 0L, AuditHash.Genesis);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(RowsSql, cancellationToken: ct)).ConfigureAwait(false);
        var parse = reader.GetRowParser<AuditLog.AuditRow>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var row = parse(reader);
            if (!Matches(head, row))
                return new AuditVerification(false, rows, lastId, head, row.Id);
            (rows, lastId, head) = (rows + 1, row.Id, row.Hash!);
        }
        return new AuditVerification(true, rows, lastId, head, null);
    }

    /// <summary>Gives every row its Hash in Id order, inside the migration's transaction: rows written before the chain join it as they are.</summary>
    internal static async Task BackfillAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        var (previous, afterId) = (AuditHash.Genesis, 0L);
        while (true)
        {
            // In pages, so a long log is never held in memory at once.
            var page = (await connection.QueryAsync<AuditLog.AuditRow>(new CommandDefinition(PageSql, new { AfterId = afterId }, transaction, cancellationToken: ct)).ConfigureAwait(false)).AsList();
            if (page.Count == 0)
                return;
            foreach (var row in page)
            {
                previous = Backfilled(previous, row);
                await connection.ExecuteAsync(new CommandDefinition(SetHashSql, new { row.Id, Hash = previous }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }
            afterId = page[^1].Id;
        }
    }

    private static string Backfilled(string previous, AuditLog.AuditRow row)
    {
        try
        {
            return AuditHash.Of(previous, row);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"audit row {row.Id} holds a Payload that is not JSON; the audit chain cannot start over an edited row", e);
        }
    }

    private static bool Matches(string previous, AuditLog.AuditRow row)
    {
        try
        {
            return row.Hash is not null && string.Equals(AuditHash.Of(previous, row), row.Hash, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            // A Payload, Before or After that is no longer JSON was edited behind the gateway's back.
            return false;
        }
    }
}
