using Dapper;
using Gateway.Core.Storage;

namespace Gateway.Core.Events;

/// <summary>Reads the events a stream missed out of the audit log, which is the event log (Sequence = audit Id).</summary>
public sealed class EventReplay(Database database)
{
    /// <summary>Most events one subscription replays; more is refused with <see cref="TooFarBehind"/>.</summary>
    public const int MaxReplay = 10_000;

    /// <summary>The detail of errorcode 101 for a FromSequence with more than <see cref="MaxReplay"/> events after it.</summary>
    public const string TooFarBehind = "FromSequence is too far behind; read the current state and subscribe without it";

    private const string NewestSql = "SELECT coalesce(max(Id), 0) FROM audit_log";

    // The function names are the code's own, written into the text once: a list parameter is expanded by Dapper on
    // SQLite but sent as one array on PostgreSQL, where "IN @p" is not valid.
    private static readonly string RowsSql = $"""
        SELECT Id, At, UserId, SessionId, Function, '' AS Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash
        FROM audit_log
        WHERE Id > @From AND Id <= @Newest AND Function IN ({string.Join(", ", EventKinds.Functions.Select(f => $"'{f}'"))})
          AND (TargetUserId IS NOT NULL OR TargetAccountId IS NOT NULL)
          AND (@UserId = 0 OR TargetUserId = @UserId
               OR (TargetUserId IS NULL AND TargetAccountId IN (SELECT AccountId FROM user_accounts WHERE UserId = @UserId)))
        ORDER BY Id
        LIMIT @Limit
        """;

    /// <summary>The newest audit Id of the whole log now (0 when empty).</summary>
    public async Task<long> NewestAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.ExecuteScalarAsync<long>(new CommandDefinition(NewestSql, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>
    /// The events of <paramref name="userId"/> (0: of every user; an account's events for the accounts the user is
    /// linked to now) with <paramref name="from"/> &lt; Sequence ≤
    /// <paramref name="newest"/>, in order; null when there are more than <see cref="MaxReplay"/>.
    /// </summary>
    public async Task<IReadOnlyList<UserEvent>?> ReadAsync(int userId, long from, long newest, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = (await db.QueryAsync<AuditLog.AuditRow>(new CommandDefinition(RowsSql,
            new { From = from, Newest = newest, UserId = userId, Limit = MaxReplay + 1 },
            cancellationToken: ct)).ConfigureAwait(false)).AsList();
        if (rows.Count > MaxReplay)
            return null;
        return [.. rows.Select(row => EventKinds.ForStream(row, userId)).OfType<UserEvent>()];
    }
}
