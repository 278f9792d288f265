using System.Data.Common;

namespace Gateway.Core.Storage;

/// <summary>
/// What differs between the engines, each difference in one place: opening connections, the writer's transaction and
/// its lock, read snapshots, which errors mean "busy, try again", where the schema version lives, and which migration
/// scripts apply. The stores' SQL is the same text on both engines.
/// </summary>
public abstract class Dialect
{
    /// <summary>The engine.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>The folder of this engine's migration scripts (embedded as <c>Migrations.&lt;Folder&gt;.NNNN_name.sql</c>).</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>A new, closed connection.</summary>
    public abstract DbConnection NewConnection();

    /// <summary>Prepares the writer's own connection (durability settings) and checks them; returns a description for the log.</summary>
    public abstract Task<string> PrepareWriterAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Begins a write transaction holding the database's one write lock, so writes of every process run one after the
    /// other (the audit chain and the read-then-write checks rely on it).
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Begins a read-only transaction that sees one committed state for all its statements.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    /// <summary>True when <paramref name="error"/> says another writer holds the database for now: worth retrying.</summary>
    public abstract bool IsBusy(Exception error);

    /// <summary>The engine's code of a busy error, for the log.</summary>
    public abstract string BusyCode(Exception? error);

    /// <summary>True when <paramref name="error"/> is the engine's own error (as opposed to ours or the runtime's).</summary>
    public abstract bool IsEngineError(Exception error);

    /// <summary>The schema version recorded in the database (0 for an empty one).</summary>
    public abstract Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct);

    /// <summary>Records <paramref name="version"/> in the migration's transaction, so it commits or rolls back with it.</summary>
    public abstract Task SetVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken ct);

    /// <summary>Begins a migration's transaction; on PostgreSQL it also waits for the other nodes' migrations to end.</summary>
    public abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Closes the idle pooled connections, so a stopped gateway holds nothing open.</summary>
    public abstract void ClearPools();

    /// <summary>Where the data is, for log lines and messages: the file, or host, port and database (never a password).</summary>
    public abstract string Describe { get; }
}
