using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>SQLite: one file, WAL with synchronous=FULL, <c>BEGIN IMMEDIATE</c> as the write lock, the version in <c>PRAGMA user_version</c>.</summary>
internal sealed class SqliteDialect(string path) : Dialect
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    // Default Timeout bounds Microsoft.Data.Sqlite's own wait on a busy database to one second per attempt;
    // the writer's retry pipeline decides how long to keep trying overall.
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 1,
        ForeignKeys = true,
    }.ToString();

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string MigrationFolder => "Sqlite";

    public override string Describe => path;

    public string ConnectionString => _connectionString;

    public override DbConnection NewConnection() => new SqliteConnection(_connectionString);

    public override async Task<string> PrepareWriterAsync(DbConnection connection, CancellationToken ct)
    {
        var journal = await connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = FULL", cancellationToken: ct)).ConfigureAwait(false);
        var synchronous = await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA synchronous", cancellationToken: ct)).ConfigureAwait(false);
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != 2)
            throw new InvalidOperationException($"The database must run in WAL mode with synchronous=FULL; it reports journal_mode={journal}, synchronous={synchronous}.");
        return $"journal_mode={journal}, synchronous={synchronous.ToString(CultureInfo.InvariantCulture)}";
    }

    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override bool IsBusy(Exception error) => Busy(error);

    /// <summary>SQLite BUSY or LOCKED: another connection holds the write lock.</summary>
    public static bool Busy(Exception error) => error is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    public override string BusyCode(Exception? error) =>
        $"SQLite error {((error as SqliteException)?.SqliteErrorCode ?? 0).ToString(CultureInfo.InvariantCulture)}";

    public override bool IsEngineError(Exception error) => error is SqliteException;

    public override async Task<int> VersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", transaction: transaction, cancellationToken: ct)).ConfigureAwait(false);

    // user_version is part of the database header, so it commits or rolls back with the migration.
    public override Task SetVersionAsync(DbConnection connection, DbTransaction transaction, int version, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)}", transaction: transaction, cancellationToken: ct));

    public override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken ct) =>
        await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

    public override void ClearPools()
    {
        using var pool = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pool);
    }
}
