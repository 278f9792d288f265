using System.Data.Common;

namespace Gateway.Core.Storage;

public sealed partial class DbWriter
{
    /// <summary>
    /// Runs <paramref name="body"/> as one <see cref="WriteUnit"/>: every write made in it (by any code it calls) runs
    /// inline in one transaction, which commits when the body returns, or rolls back when it throws or when
    /// <paramref name="rollBack"/> is true (a dry run). Inside another unit this one is a savepoint of it and commits
    /// with it. Returns after the commit and after the work kept for it (<see cref="AfterCommitAsync(Func{CancellationToken, Task}, CancellationToken)"/>) has run.
    /// </summary>
    public async Task<T> RunUnitAsync<T>(bool rollBack, Func<WriteUnit, Task<T>> body, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var parent = CurrentUnit();
        var unit = new WriteUnit(this, parent, rollBack, ct);
        WriteUnit.Enter(unit);
        T result;
        try
        {
            result = await body(unit).ConfigureAwait(false);
        }
        catch
        {
            WriteUnit.Enter(parent);
            await unit.EndAsync(keep: false).ConfigureAwait(false);
            throw;
        }
        WriteUnit.Enter(parent);
        await unit.EndAsync(keep: true).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Runs <paramref name="action"/> now, or, inside a unit, once the outermost unit has committed (never when it rolls
    /// back): for effects outside the database that must follow only real, committed writes (ending sessions).
    /// </summary>
    public Task AfterCommitAsync(Func<CancellationToken, Task> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (CurrentUnit() is not { } unit)
            return action(ct);
        unit.AfterCommit(action);
        return Task.CompletedTask;
    }

    /// <summary>As <see cref="AfterCommitAsync(Func{CancellationToken, Task}, CancellationToken)"/>, for work that does not wait (a log line).</summary>
    public Task AfterCommitAsync(Action action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(action);
        return AfterCommitAsync(_ =>
        {
            action();
            return Task.CompletedTask;
        }, ct);
    }

    private WriteUnit? CurrentUnit() => WriteUnit.Current is { } unit && ReferenceEquals(unit.Writer, this) ? unit : null;

    internal DateTimeOffset LeaseDeadline() => _time.GetUtcNow() + Budget;

    // Queues the lease like any write and waits for the writer to reach it; a caller that leaves first abandons it.
    // The wait is on the lease's own task (not WaitAsync), so the unit resumes on the writer's thread when granted.
    internal async Task<DbTransaction> TakeAsync(WriterLease lease, CancellationToken ct)
    {
        try
        {
            await _queue.Writer.WriteAsync(lease, ct).ConfigureAwait(false);
            using (ct.Register(static state => ((WriterLease)state!).Abandon(), lease))
                return await lease.Granted.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lease.Abandon();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> directly in the current unit's transaction, without a savepoint of its own (so a
    /// failure fails the unit) and unaudited: bookkeeping of the unit itself, such as its stored reply.
    /// </summary>
    internal async Task<T> WriteInUnitAsync<T>(Func<WriteTransaction, Task<T>> work, CancellationToken ct)
    {
        var unit = CurrentUnit() ?? throw new InvalidOperationException("No write unit is current.");
        using var turn = await unit.EnterWriteAsync(ct).ConfigureAwait(false);
        var (transaction, _, _, _) = await unit.OpenAsync(ct).ConfigureAwait(false);
        var tx = new WriteTransaction(transaction.Connection!, transaction, _statements!, ct, _changes);
        var marks = _changes.Marks;
        var value = await work(tx).ConfigureAwait(false);
        _changes.Wrote(marks, tx);
        unit.Dirty = true;
        return value;
    }

    internal Task ExecuteAsync(DbTransaction transaction, string sql) => WriteTransaction.ExecuteAsync(_statements!, transaction, sql);

    // A write inside a unit: a savepoint of the unit's transaction, audited in it, undone alone when the work throws.
    // The unit's first write needs no savepoint of its own: the unit's savepoint already marks the state before it.
    private async Task<T> RunInlineAsync<T>(WriteUnit unit, AuditEntry? audited, Func<WriteTransaction, Task<T>> work, CancellationToken ct)
    {
        using var turn = await unit.EnterWriteAsync(ct).ConfigureAwait(false);
        var (transaction, savepoint, release, rollBack) = await unit.OpenAsync(ct).ConfigureAwait(false);
        var own = unit.Dirty;
        if (own)
            await ExecuteAsync(transaction, savepoint).ConfigureAwait(false);
        try
        {
            var tx = new WriteTransaction(transaction.Connection!, transaction, _statements!, ct, _changes);
            var marks = _changes.Marks;
            var value = await work(tx).ConfigureAwait(false);
            _changes.Wrote(marks, tx);
            if (audited is not null)
                Appended(await _audit.AppendAsync(tx, audited).ConfigureAwait(false));
            if (own)
                await ExecuteAsync(transaction, release).ConfigureAwait(false);
            unit.Dirty = true;
            return value;
        }
        catch
        {
            if (own)
            {
                await ExecuteAsync(transaction, rollBack).ConfigureAwait(false);
                await ExecuteAsync(transaction, release).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync(transaction, unit.RollBackStatement).ConfigureAwait(false);
            }
            throw;
        }
    }
}
