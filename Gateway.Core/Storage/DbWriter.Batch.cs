using System.Data.Common;
using Polly.Timeout;

namespace Gateway.Core.Storage;

public sealed partial class DbWriter
{
    private async Task RunLoopAsync(DbConnection connection)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                if (!next.Cancelled())
                    batch.Add(next);
            }
            if (batch.Count == 0)
                continue;
            connection = await ReopenIfBrokenAsync(connection).ConfigureAwait(false);
            await CommitAsync(connection, batch).ConfigureAwait(false);
        }
    }

    // A PostgreSQL server that restarted, or a network that dropped the writer's connection, leaves it Broken or Closed
    // for good: the writer opens a new one (with its own prepared commands) before the next batch instead of failing
    // every write from then on. A failed reopen keeps the old one, so this batch fails and the next tries again.
    private async Task<DbConnection> ReopenIfBrokenAsync(DbConnection connection)
    {
        if (connection.State == System.Data.ConnectionState.Open)
            return connection;
        DbConnection fresh;
        try
        {
            fresh = await _database.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await _database.Dialect.PrepareWriterAsync(fresh, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (_database.Dialect.IsEngineError(e) || e is System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            StorageLog.ReopenFailed(_logger, _database.Describe, e.Message);
            return connection;
        }
        _statements?.Dispose();
        _statements = new StatementCache(fresh);
        await connection.DisposeAsync().ConfigureAwait(false);
        _connection = fresh;
        StorageLog.Reopened(_logger, _database.Describe);
        return fresh;
    }

    // One transaction for the batch, a savepoint per write; nothing is reported to a caller before the commit.
    private async Task CommitAsync(DbConnection connection, List<PendingWrite> batch)
    {
        var started = _time.GetTimestamp();
        DbTransaction transaction;
        try
        {
            transaction = await BeginAsync(connection, batch).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var write in batch)
                write.Fail(e);
            return;
        }

        // Nothing is known of the log until the first append reads it: other nodes (or the admin command line) may have
        // written since this writer's last commit.
        (_head, _savepointOpen) = (null, false);
        var outcomes = new Exception?[batch.Count];
        IReadOnlyList<AuditLog.AuditRow> committed = [];
        IReadOnlyList<AuditLog.AuditRow> before = [];
        _changes.Clear();
        try
        {
            for (var index = 0; index < batch.Count; index++)
                outcomes[index] = await RunInSavepointAsync(connection, transaction, batch[index]).ConfigureAwait(false);
            var tx = new WriteTransaction(connection, transaction, _statements!, CancellationToken.None);
            if (!_appended.IsEmpty)
                committed = _appended.Take(_head?.Id ?? await AuditLog.LastIdAsync(tx).ConfigureAwait(false));
            if (_shared)
                before = await TellOtherNodesAsync(tx, committed).ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _appended.Clear();
            _changes.Clear();
            // The commit itself (or a savepoint statement) failed: nothing of the batch is in the database.
            await RollBackQuietlyAsync(transaction).ConfigureAwait(false);
            foreach (var write in batch)
                write.Fail(e);
            return;
        }
        finally
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        Interlocked.Increment(ref _commits);
        if (_changes.Unknown)
            Clock.AdvanceAll();
        else
            Clock.Advance(_changes.Users, _changes.Accounts.Count > 0);
        _metrics.Committed(_time.GetElapsedTime(started), batch.Count);
        // Before any write of the commit returns: its events go out ahead of the replies of the calls that follow.
        _feed?.Announce(committed, before);
        for (var index = 0; index < batch.Count; index++)
        {
            if (outcomes[index] is { } failure)
                batch[index].Fail(failure);
            else
                batch[index].Succeed();
        }
    }

    // The dialect's write transaction takes the write lock; a busy database is retried until the oldest write's budget runs out.
    private async Task<DbTransaction> BeginAsync(DbConnection connection, List<PendingWrite> batch)
    {
        var deadline = batch.Min(w => w.Deadline) - _time.GetUtcNow();
        using var budget = new CancellationTokenSource(deadline > TimeSpan.Zero ? deadline : TimeSpan.Zero, _time);
        try
        {
            return await _pipeline.ExecuteAsync(async token => await _database.Dialect.BeginWriteAsync(connection, token).ConfigureAwait(false), budget.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            throw new TimeoutRejectedException($"The database stayed busy for the whole write budget of {Budget.TotalSeconds:0} s.");
        }
    }

    private async Task<Exception?> RunInSavepointAsync(DbConnection connection, DbTransaction transaction, PendingWrite write)
    {
        if (write.Cancelled())
            return new OperationCanceledException(write.Token);
        var statements = _statements!;
        // The previous write's savepoint is released and this one's opened in one round trip; the last one is left for
        // COMMIT, which releases it. A savepoint rolled back to stays open, so the same statement follows it too.
        await WriteTransaction.ExecuteAsync(statements, transaction, _savepointOpen ? NextSavepoint : FirstSavepoint).ConfigureAwait(false);
        _savepointOpen = true;
        var headBefore = _head;
        try
        {
            var unit = new WriteTransaction(connection, transaction, statements, write.Token, _changes);
            var marks = _changes.Marks;
            await write.RunAsync(unit).ConfigureAwait(false);
            // A unit's writes are checked one by one as they run inline (DbWriter.Units).
            if (write is not WriterLease)
                _changes.Wrote(marks, unit);
            if (write.Audited is { } audited)
            {
                var row = await _audit.AppendAsync(unit, audited, _head, write.Payload).ConfigureAwait(false);
                if (row is not null)
                    _head = new AuditLog.AuditHead(row.Id, row.Hash);
                Appended(row);
            }
            // A unit's own writes appended rows the writer did not see: the next append reads the log again.
            if (write is WriterLease)
                _head = null;
            return null;
        }
        catch (Exception e) when (!_database.Dialect.IsBusy(e))
        {
            await WriteTransaction.ExecuteAsync(statements, transaction, "ROLLBACK TO w").ConfigureAwait(false);
            _head = write is WriterLease ? null : headBefore;
            return e;
        }
    }

    private const string FirstSavepoint = "SAVEPOINT w";
    private const string NextSavepoint = "RELEASE w; SAVEPOINT w";

    // Kept while someone listens for commits (the feed announces them after the commit) or other nodes are told of
    // them (their targets are in the notice). A write that changed nothing appends no row (WriteTransaction.Unchanged).
    private void Appended(AuditLog.AuditRow? row)
    {
        if (row is not null && (_shared || _feed is { Listening: true }))
            _appended.Add(row);
    }

    // PostgreSQL, inside the commit's transaction, holding the write lock of all nodes. First the rows other nodes
    // committed since the feed's last announcement (the lock guarantees every older row is committed, and this node's
    // listener may not have caught up yet): they are announced ahead of this commit's rows, so events stay in Id order.
    // Then the notice: pg_notify in the transaction is delivered when, and only if, it commits. A commit that changed
    // nothing another node holds (session activity, stored replies) tells nobody.
    private async Task<IReadOnlyList<AuditLog.AuditRow>> TellOtherNodesAsync(WriteTransaction tx, IReadOnlyList<AuditLog.AuditRow> committed)
    {
        IReadOnlyList<AuditLog.AuditRow> before = [];
        if (committed.Count > 0 && _feed is { Listening: true, Tracking: true } && _feed.LastAnnounced < committed[0].Id - 1)
            before = await AuditLog.BetweenAsync(tx, _feed.LastAnnounced, committed[0].Id).ConfigureAwait(false);
        if (committed.Count == 0 && !_changes.Any && !_changes.Unknown)
            return before;
        var notice = Cluster.ChangeNotices.Of(NodeId, committed, _changes);
        await tx.ExecuteAsync(NotifySql, new { Payload = notice.ToPayload() }).ConfigureAwait(false);
        return before;
    }

    private const string NotifySql = $"SELECT pg_notify('{Cluster.ChangeNotice.Channel}', @Payload)";

    private async Task RollBackQuietlyAsync(DbTransaction transaction)
    {
        try
        {
            await transaction.RollbackAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (_database.Dialect.IsEngineError(e) || e is InvalidOperationException)
        {
            // The engine may have rolled back already (a failed COMMIT does); there is nothing left to undo.
        }
    }
}
