using System.Data;
using System.Data.Common;
using Dapper;
using Npgsql;

namespace Gateway.Core.Storage;

/// <summary>
/// PostgreSQL, shared by several gateway nodes. Every node's writer takes one transaction-scoped advisory lock before
/// its first statement, so writes of all nodes run one after the other as they do on SQLite (the audit chain's next Id
/// and the read-then-write checks need it); the version lives in <c>gateway_schema</c>.
/// </summary>
internal sealed class PostgresDialect : Dialect
{
    // Arbitrary, fixed keys of pg_advisory_xact_lock: one for writes, one for migrations.
    internal const long WriteLockKey = 0x67617465_77726974; // "gatewrit"
    private const long MigrationLockKey = 0x67617465_6d696772; // "gatemigr"

    private const string LockSql = "SELECT pg_advisory_xact_lock(@Key)";
    private const string HasVersionTableSql = "SELECT to_regclass('gateway_schema') IS NOT NULL";
    private const string VersionSql = "SELECT coalesce(max(Version), 0) FROM gateway_schema";
    private const string SetVersionSql = """
        CREATE TABLE IF NOT EXISTS gateway_schema (Version bigint NOT NULL);
        DELETE FROM gateway_schema;
        INSERT INTO gateway_schema (Version) VALUES (@Version);
        """;

    private readonly NpgsqlDataSource _source;
    private readonly string _describe;

    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _describe = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
        // Npgsql prepares on the server the statements a connection runs often, when asked to: the stores run a few
        // dozen texts over and over, so each is parsed and planned once per connection instead of on every call.
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 128;
        // Every connection, not only the writer's, waits at most a second for a lock (the health probe takes the write
        // lock too), unless the operator's connection string sets it: busy is an answer, never a hang.
        if (builder.Options?.Contains("lock_timeout", StringComparison.Ordinal) != true)
            builder.Options = $"{builder.Options} -c lock_timeout=1000".Trim();
        _source = NpgsqlDataSource.Create(builder);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string MigrationFolder => "Postgres";

    public override string Describe => _describe;

    /// <summary>The pool every connection comes from.</summary>
    public NpgsqlDataSource Source => _source;

    public override DbConnection NewConnection() => _source.CreateConnection();

    // A write is acknowledged after its commit is flushed (synchronous_commit=on whatever the server's default); the
    // writer waits at most a second per attempt for another node's write lock (lock_timeout, set for every connection),
    // and the retry pipeline decides how long overall.
    public override async Task<string> PrepareWriterAsync(DbConnection connection, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("SET synchronous_commit = on", cancellationToken: ct)).ConfigureAwait(false);
        var fsync = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW fsync", cancellationToken: ct)).ConfigureAwait(false);
        var version = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW server_version", cancellationToken: ct)).ConfigureAwait(false);
        return $"PostgreSQL {version}, synchronous_commit=on, fsync={fsync}";
    }

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await BeginLockedAsync(connection, WriteLockKey, ct).ConfigureAwait(false);

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);

    // lock_not_available (lock_timeout), serialization_failure, deadlock_detected.
    public override bool IsBusy(Exception error) => Busy(error);

    /// <summary>Another node holds the write lock past lock_timeout, or the server gave up a transaction to let others on.</summary>
    public static bool Busy(Exception error) => error is PostgresException { SqlState: "55P03" or "40001" or "40P01" };

    public override string BusyCode(Exception? error) => $"PostgreSQL {(error as PostgresException)?.SqlState ?? "?"}";

    public override bool IsEngineError(Exception error) => error is NpgsqlException;

    public override async Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct)
    {
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(HasVersionTableSql, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false))
            return 0;
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(VersionSql, transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
    }

    public override Task SetVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(SetVersionSql, new { Version = (long)version }, transaction, cancellationToken: ct));

    // Nodes starting together queue here; each re-reads the version inside the lock, so a migration runs once.
    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct) =>
        await BeginLockedAsync(connection, MigrationLockKey, ct, wait: true).ConfigureAwait(false);

    public override void ClearPools() => _source.Clear();

    private static async Task<DbTransaction> BeginLockedAsync(DbConnection connection, long key, CancellationToken ct, bool wait = false)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
        try
        {
            // A migration may wait for a long one on another node; lock_timeout 0 means no limit.
            if (wait)
                await connection.ExecuteAsync(new CommandDefinition("SET LOCAL lock_timeout = 0", transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(LockSql, new { Key = key }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
