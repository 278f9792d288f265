using Dapper;
using Gateway.Core.Dispatch;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Gateway.Core.Storage;

/// <summary>
/// The one writer: every write runs on its connection, one at a time, in a <c>BEGIN IMMEDIATE</c> transaction.
/// SQLite BUSY/LOCKED (another process holding the file) is retried with jitter within <see cref="Budget"/>;
/// past it the write fails, so a caller answers 102 instead of hanging. A write returns only after its commit.
/// </summary>
public sealed class DbWriter : IAsyncDisposable
{
    /// <summary>How long one write may keep retrying a busy database; each attempt waits at most 1 s more.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly Database _database;
    private readonly AuditLog _audit;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _pipeline;
    private SqliteConnection? _connection;
    private long _retries;

    /// <summary>Creates the writer; call <see cref="OpenAsync"/> before the first write.</summary>
    public DbWriter(Database database, AuditLog audit, TimeProvider time, ILogger<DbWriter> logger)
    {
        _database = database;
        _audit = audit;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(Budget)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<SqliteException>(e => e.SqliteErrorCode is SqliteBusy or SqliteLocked),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(400),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    StorageLog.Retrying(_logger, (args.Outcome.Exception as SqliteException)?.SqliteErrorCode ?? 0, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>How many times a write has been retried since start (for tests and diagnostics).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Opens the writer's connection, turns on WAL with synchronous=FULL, checks both, and migrates.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        _connection = await _database.OpenAsync(ct).ConfigureAwait(false);
        var journal = await _connection.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode = WAL", cancellationToken: ct)).ConfigureAwait(false);
        await _connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous = FULL", cancellationToken: ct)).ConfigureAwait(false);
        var synchronous = await _connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA synchronous", cancellationToken: ct)).ConfigureAwait(false);
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) || synchronous != 2)
            throw new InvalidOperationException($"The database must run in WAL mode with synchronous=FULL; it reports journal_mode={journal}, synchronous={synchronous}.");
        var version = await Migrator.MigrateAsync(_connection, ct).ConfigureAwait(false);
        StorageLog.Opened(_logger, _database.Path, version, journal!, synchronous);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction and, when it succeeds, records it in the audit log in that same transaction.</summary>
    public Task<T> WriteAsync<T>(CallContext audited, Func<WriteTransaction, Task<T>> work, CancellationToken ct) =>
        RunAsync(audited, work, ct);

    /// <summary>Runs bookkeeping that is not a call of its own (failed-login counts, session activity): not audited.</summary>
    public Task<T> WriteUnauditedAsync<T>(Func<WriteTransaction, Task<T>> work, CancellationToken ct) =>
        RunAsync(null, work, ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task<T> RunAsync<T>(CallContext? audited, Func<WriteTransaction, Task<T>> work, CancellationToken ct)
    {
        var connection = _connection ?? throw new InvalidOperationException("The writer is not open.");
        return await _pipeline.ExecuteAsync(async token =>
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                await using var tx = connection.BeginTransaction(deferred: false);
                var unit = new WriteTransaction(connection, tx, token);
                var result = await work(unit).ConfigureAwait(false);
                if (audited is not null)
                    await _audit.AppendAsync(unit, audited).ConfigureAwait(false);
                await tx.CommitAsync(token).ConfigureAwait(false);
                return result;
            }
            finally
            {
                _gate.Release();
            }
        }, ct).ConfigureAwait(false);
    }
}
