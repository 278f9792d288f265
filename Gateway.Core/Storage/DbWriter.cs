using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Gateway.Core.Storage;

/// <summary>
/// The one writer. Writes queue up and run on its connection in group commits: the writes waiting at the same moment
/// share one transaction holding the database's write lock (SQLite <c>BEGIN IMMEDIATE</c>, PostgreSQL an advisory
/// lock), each inside a savepoint of its own, so a failing write is rolled back alone; every write returns only after
/// the commit that holds it. A busy database (another process or node holding the lock) is retried with jitter within
/// <see cref="Budget"/>; past it the writes fail, so callers answer 102 instead of hanging. Inside a <see cref="WriteUnit"/> (<see cref="RunUnitAsync{T}"/>) writes run inline in the unit's transaction.
/// </summary>
public sealed partial class DbWriter : IAsyncDisposable
{
    /// <summary>How long a write may wait for a busy database; each attempt waits at most 400 ms more.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);

    /// <summary>Most writes one commit carries.</summary>
    public const int MaxBatch = 256;

    private readonly Database _database;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Telemetry.GatewayMetrics _metrics;
    private readonly ResiliencePipeline _pipeline;
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(4096) { SingleReader = true });
    private DbConnection? _connection;
    private StatementCache? _statements;
    private Task _loop = Task.CompletedTask;
    private long _retries;
    private long _commits;
    private readonly CommitFeed? _feed;
    private readonly CommittedRows _appended = new();

    // The open group commit's state on the writer's thread: the newest audit row it appended (null: read it), and
    // whether a write's savepoint is still open (released by the next write's, or by COMMIT).
    private AuditLog.AuditHead? _head;
    private bool _savepointOpen;
    private readonly CommitChanges _changes = new();
    // PostgreSQL: several nodes share the database, so each commit tells the others what it changed (NOTIFY).
    private readonly bool _shared;
    private int _cacheBypassed;

    /// <summary>Creates the writer; call <see cref="OpenAsync"/> before the first write.</summary>
    public DbWriter(Database database, AuditLog audit, TimeProvider time, Telemetry.GatewayMetrics metrics, ILogger<DbWriter> logger, CommitFeed? feed = null)
    {
        _feed = feed;
        _shared = database.Provider == DatabaseProvider.Postgres;
        _metrics = metrics;
        _database = database;
        _audit = audit;
        _time = time;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddTimeout(Budget)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(database.Dialect.IsBusy),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(400),
                OnRetry = args =>
                {
                    Interlocked.Increment(ref _retries);
                    StorageLog.Retrying(_logger, _database.Dialect.BusyCode(args.Outcome.Exception), args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>How many times a busy database has been retried since start (for tests and diagnostics).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>How many transactions have committed since start; with group commit, fewer than the writes.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>
    /// Moves after every commit, once its marks of what it changed are in place and before any write of it returns:
    /// what <see cref="ReadCache"/> checks its values against.
    /// </summary>
    public ChangeClock Clock { get; } = new();

    /// <summary>This writer's node: a random id per process, so a node recognizes (and skips) the notices of its own commits.</summary>
    public string NodeId { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    /// <summary>
    /// Another node committed something it could not name (or this node may have missed commits): everything
    /// <see cref="ReadCache"/> holds may be stale and is dropped, by the same rule as after a local commit.
    /// </summary>
    internal void Invalidate() => Clock.AdvanceAll();

    /// <summary>Another node committed changes to <paramref name="users"/> and, when <paramref name="accounts"/>, to some account.</summary>
    internal void Invalidate(IEnumerable<long> users, bool accounts) => Clock.Advance(users, accounts);

    /// <summary>
    /// True while this node cannot hear the other nodes' commits (its listening connection is lost): the read cache
    /// then keeps nothing and every read goes to the database.
    /// </summary>
    internal bool CacheBypassed
    {
        get => Volatile.Read(ref _cacheBypassed) != 0;
        set => Volatile.Write(ref _cacheBypassed, value ? 1 : 0);
    }

    /// <summary>True for what a write raises when the database stayed busy past <see cref="Budget"/>: the timeout, or a busy error at commit.</summary>
    public static bool IsBusy(Exception error) =>
        error is Polly.Timeout.TimeoutRejectedException || SqliteDialect.Busy(error) || PostgresDialect.Busy(error);

    /// <summary>
    /// Creates the database when missing, opens the writer's connection, makes commits durable (SQLite: WAL with
    /// synchronous=FULL) and checks it, checks that Unicode normalization works, migrates, and starts the writer.
    /// </summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        _database.EnsureCreated();
        _connection = await _database.OpenAsync(ct).ConfigureAwait(false);
        var durability = await _database.Dialect.PrepareWriterAsync(_connection, ct).ConfigureAwait(false);
        // Stored name keys are NFKC forms: a runtime that cannot normalize would write keys that differ from the ones it reads.
        Sessions.UserNames.EnsureNormalization();
        var version = await Migrator.MigrateAsync(_connection, _database.Dialect, ct).ConfigureAwait(false);
        StorageLog.Opened(_logger, _database.Describe, version, durability);
        // The feed announces every row committed from now on, by any node, once and in Id order.
        if (_shared)
            _feed?.Track(await AuditLog.NewestIdAsync(_connection, ct).ConfigureAwait(false));
        Start(_connection);
    }

    /// <summary>
    /// Opens the writer on a database a running gateway may be serving (the admin command line's backup and
    /// verify-audit): changes neither its journal mode nor its schema, and refuses a schema other than this version's.
    /// </summary>
    public async Task OpenSharedAsync(CancellationToken ct)
    {
        var connection = await _database.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await _database.Dialect.PrepareWriterAsync(connection, ct).ConfigureAwait(false);
            var version = await Migrator.VersionAsync(connection, _database.Dialect, ct).ConfigureAwait(false);
            if (version != Migrator.Latest)
                throw new InvalidOperationException($"database {_database.Describe} is at schema version {version}; this gateway writes version {Migrator.Latest}");
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        _connection = connection;
        Start(connection);
    }

    private void Start(DbConnection connection)
    {
        _statements = new StatementCache(connection);
        _loop = RunLoopAsync(connection);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction and, when it succeeds, records it in the audit log in that same transaction.</summary>
    public Task<T> WriteAsync<T>(AuditEntry audited, Func<WriteTransaction, Task<T>> work, CancellationToken ct) =>
        EnqueueAsync(audited, work, ct);

    /// <summary>Runs <paramref name="work"/>, which answers nothing, as <see cref="WriteAsync{T}"/> does: audited in the same transaction.</summary>
    public Task WriteAsync(AuditEntry audited, Func<WriteTransaction, Task> work, CancellationToken ct) =>
        EnqueueAsync(audited, Answering(work), ct);

    /// <summary>Runs bookkeeping that is not a call of its own (failed-login counts, session activity): not audited.</summary>
    public Task<T> WriteUnauditedAsync<T>(Func<WriteTransaction, Task<T>> work, CancellationToken ct) =>
        EnqueueAsync(null, work, ct);

    /// <summary>Runs bookkeeping that answers nothing, as <see cref="WriteUnauditedAsync{T}"/> does: not audited.</summary>
    public Task WriteUnauditedAsync(Func<WriteTransaction, Task> work, CancellationToken ct) =>
        EnqueueAsync(null, Answering(work), ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _statements?.Dispose();
        if (_connection is null)
            return;
        await _connection.DisposeAsync().ConfigureAwait(false);
        // Idle pooled connections would keep the file open after the gateway stops; a stopped gateway holds no handle on it.
        _database.Dialect.ClearPools();
    }

    // The queue carries writes that answer a value; work that answers nothing answers true.
    private static Func<WriteTransaction, Task<bool>> Answering(Func<WriteTransaction, Task> work) => async tx =>
    {
        await work(tx).ConfigureAwait(false);
        return true;
    };

    private async Task<T> EnqueueAsync<T>(AuditEntry? audited, Func<WriteTransaction, Task<T>> work, CancellationToken ct)
    {
        if (_connection is null)
            throw new InvalidOperationException("The writer is not open.");
        // Inside a unit (a dry run, a repeat-safe call, an atomic batch) the write joins the unit's transaction.
        if (CurrentUnit() is { } unit)
            return await RunInlineAsync(unit, audited, work, ct).ConfigureAwait(false);
        var pending = new PendingWrite<T>(audited, work, _time.GetUtcNow() + Budget, ct);
        await _queue.Writer.WriteAsync(pending, ct).ConfigureAwait(false);
        return await pending.Result.ConfigureAwait(false);
    }
}
