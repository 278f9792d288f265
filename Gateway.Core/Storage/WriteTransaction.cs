using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Gateway.Core.Storage;

/// <summary>An open write transaction (holding the write lock) on the writer's connection, handed to one unit of work.</summary>
public sealed class WriteTransaction : IDisposable
{
    private readonly StatementCache _statements;
    private readonly bool _ownsStatements;
    private readonly CommitChanges? _changes;

    internal WriteTransaction(DbConnection connection, DbTransaction transaction, StatementCache statements, CancellationToken ct, CommitChanges? changes = null)
    {
        _changes = changes;
        Connection = connection;
        Transaction = transaction;
        _statements = statements;
        Token = ct;
    }

    /// <summary>A read snapshot on a pooled connection (a deferred transaction), with commands of its own; dispose it after use.</summary>
    internal WriteTransaction(DbConnection connection, DbTransaction transaction, CancellationToken ct)
        : this(connection, transaction, new StatementCache(connection), ct) => _ownsStatements = true;

    /// <summary>The writer's connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>The open transaction.</summary>
    public DbTransaction Transaction { get; }

    /// <summary>Cancels the work.</summary>
    public CancellationToken Token { get; }

    /// <summary>What the work changed, in words, for the audit record; "ok" when left unset.</summary>
    public string? Change { get; set; }

    /// <summary>
    /// True when the work found nothing to change (a value already set, say): the call succeeds and leaves no audit
    /// record, as calls-next.md asks of its write calls.
    /// </summary>
    public bool Unchanged { get; set; }

    /// <summary>The user the work changed, for the audit record; null when none.</summary>
    public int? TargetUserId { get; set; }

    /// <summary>The account the work changed, for the audit record; null when none.</summary>
    public int? TargetAccountId { get; set; }

    /// <summary>The changed entity before the work, as JSON text, for the audit record; null when there was nothing.</summary>
    public string? Before { get; private set; }

    private AuditSubject? _subject;

    /// <summary>
    /// Marks that the work changed the cached state of <paramref name="userId"/> (its row, permissions or links) and
    /// of <paramref name="accountId"/> (its row). Every store method that writes marks what it wrote: this node's read
    /// cache then drops only those values, and the commit's notice tells the other nodes (PostgreSQL). A write that
    /// marks nothing at all is taken to have changed anything.
    /// </summary>
    public void MarkChanged(int? userId = null, int? accountId = null) => _changes?.Changed(userId, accountId);

    /// <summary>Marks that the work wrote only tables no cache reads (sessions, stored replies, nonces, config).</summary>
    public void MarkUncached() => _changes?.Uncached();

    /// <summary>
    /// Marks that the work deleted sessions (of <paramref name="userId"/> when known): the commit tells the other nodes,
    /// which close the sockets of the sessions they hold that are gone (PostgreSQL).
    /// </summary>
    public void MarkSessionsEnded(int? userId = null) => _changes?.EndedSessions(userId);

    /// <summary>
    /// Names what the work is about to change: sets the targets and reads the entity as it is now (Before). The audit
    /// record reads it again with the same reader when the work is done (After).
    /// </summary>
    public async Task AuditChangeAsync(AuditSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        (TargetUserId, TargetAccountId, _subject) = (subject.UserId, subject.AccountId, subject);
        Before = await subject.Read(this).ConfigureAwait(false);
    }

    /// <summary>Names what the work has just created: the targets, nothing before, and the reader of the new entity (After).</summary>
    public void AuditCreation(AuditSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        (TargetUserId, TargetAccountId, _subject, Before) = (subject.UserId, subject.AccountId, subject, null);
    }

    /// <summary>The changed entity after the work, read in the transaction; null when none was named or it is gone.</summary>
    internal async Task<string?> ReadAfterAsync() => _subject is null ? null : await _subject.Read(this).ConfigureAwait(false);

    /// <summary>Runs a statement in the transaction; the number of rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        await Command(sql, parameters).ExecuteNonQueryAsync(Token).ConfigureAwait(false);

    /// <summary>Runs a statement that changes <paramref name="userId"/>'s cached state, marked so (<see cref="MarkChanged(int?, int?)"/>); the number of rows it changed.</summary>
    public Task<int> ExecuteForUserAsync(int userId, string sql, object? parameters = null)
    {
        MarkChanged(userId);
        return ExecuteAsync(sql, parameters);
    }

    /// <summary>Runs a statement on tables no cache reads, marked so (<see cref="MarkUncached"/>); the number of rows it changed.</summary>
    public Task<int> ExecuteUncachedAsync(string sql, object? parameters = null)
    {
        MarkUncached();
        return ExecuteAsync(sql, parameters);
    }

    /// <summary>Runs a query in the transaction and returns its first column of its first row.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, object? parameters = null)
    {
        var value = await Command(sql, parameters).ExecuteScalarAsync(Token).ConfigureAwait(false);
        if (value is null or DBNull)
            return default;
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is T typed ? typed : (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query in the transaction and returns the first row, or default.</summary>
    public async Task<T?> FirstOrDefaultAsync<T>(string sql, object? parameters = null)
    {
        await using var reader = await Command(sql, parameters).ExecuteReaderAsync(Token).ConfigureAwait(false);
        return reader.Parse<T>().FirstOrDefault();
    }

    /// <summary>Runs a query in the transaction.</summary>
    public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var reader = await Command(sql, parameters).ExecuteReaderAsync(Token).ConfigureAwait(false);
        return reader.Parse<T>().ToList();
    }

    /// <summary>Runs a statement that is not part of a unit of work (a savepoint, say) on the cached commands.</summary>
    internal static async Task ExecuteAsync(StatementCache statements, DbTransaction transaction, string sql) =>
        await statements.Get(sql, null, transaction).ExecuteNonQueryAsync().ConfigureAwait(false);

    /// <summary>Releases the commands of a read snapshot; the writer's own commands stay with the writer.</summary>
    public void Dispose()
    {
        if (_ownsStatements)
            _statements.Dispose();
    }

    private DbCommand Command(string sql, object? parameters) => _statements.Get(sql, parameters, Transaction);
}
