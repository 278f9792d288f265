using System.Data.Common;

namespace Gateway.Core.Storage;

/// <summary>
/// Several writes that commit together, or not at all. While a unit is current (an async-local ambient set by
/// <see cref="DbWriter.RunUnitAsync{T}"/>), every write the <see cref="DbWriter"/> is given in that flow runs inline in
/// the unit's transaction, in a savepoint of its own, instead of queueing. The first write takes the writer (a lease
/// inside a group commit); until then the unit holds nothing. A unit inside a unit is a savepoint of its parent's.
/// Work that must happen only once the writes are committed (ending sessions, say) is kept until the outermost unit
/// commits, and dropped when its unit rolls back.
/// </summary>
public sealed class WriteUnit
{
    private const int MaxDepth = 8;
    private static readonly AsyncLocal<WriteUnit?> Ambient = new();
    // The outermost unit's savepoint is the one the writer opened for its lease ("w"); nested units and the writes in a
    // unit get one per depth, so the writer's statement cache holds a fixed few texts.
    private static readonly string[] Names = [.. Enumerable.Range(0, MaxDepth + 2).Select(d => d == 1 ? "w" : $"u{d}")];
    private static readonly string[] Savepoints = [.. Names.Select(n => $"SAVEPOINT {n}")];
    private static readonly string[] Releases = [.. Names.Select(n => $"RELEASE {n}")];
    private static readonly string[] RollBacks = [.. Names.Select(n => $"ROLLBACK TO {n}")];

    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];
    private readonly SemaphoreSlim? _gate;
    private WriterLease? _lease;
    private DbTransaction? _transaction;

    internal WriteUnit(DbWriter writer, WriteUnit? parent, bool rollsBack, CancellationToken ct)
    {
        if (parent?.Depth >= MaxDepth)
            throw new InvalidOperationException($"Write units nest at most {MaxDepth} deep.");
        Writer = writer;
        Parent = parent;
        RollsBack = rollsBack;
        Depth = (parent?.Depth ?? 0) + 1;
        Token = ct;
        _gate = parent is null ? new SemaphoreSlim(1, 1) : null;
    }

    /// <summary>The unit the current flow writes in, or null when its writes queue on their own.</summary>
    public static WriteUnit? Current => Ambient.Value;

    /// <summary>True when this unit rolls back at its end whatever happens (a dry run).</summary>
    public bool RollsBack { get; }

    /// <summary>True when this unit or one around it rolls back at its end: nothing done inside it will be kept.</summary>
    public bool InDryRun => RollsBack || (Parent?.InDryRun ?? false);

    /// <summary>True once the unit has written (it then holds the writer until it ends).</summary>
    public bool HasWritten => _transaction is not null;

    internal DbWriter Writer { get; }

    internal WriteUnit? Parent { get; }

    internal int Depth { get; }

    internal CancellationToken Token { get; }

    private WriteUnit Root => Parent?.Root ?? this;

    internal static void Enter(WriteUnit? unit) => Ambient.Value = unit;

    /// <summary>Undoes every write made in this unit so far (the unit stays open, so more can follow) and forgets its after-commit work.</summary>
    public async Task RollBackWritesAsync()
    {
        _afterCommit.Clear();
        if (_transaction is null)
            return;
        await Writer.ExecuteAsync(_transaction, RollBacks[Depth]).ConfigureAwait(false);
        Dirty = false;
    }

    /// <summary>
    /// True once a write of this unit has succeeded (since its last roll-back): until then a failing write is undone by
    /// rolling back to the unit's own savepoint, and needs none of its own.
    /// </summary>
    internal bool Dirty { get; set; }

    /// <summary>Rolls back to this unit's own savepoint, which stays open.</summary>
    internal string RollBackStatement => RollBacks[Depth];

    /// <summary>Keeps <paramref name="action"/> until the outermost unit has committed; it is dropped if the writes roll back.</summary>
    internal void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    /// <summary>Serializes the inline writes of one unit tree: one statement at a time on the writer's connection.</summary>
    internal async Task<IDisposable> EnterWriteAsync(CancellationToken ct)
    {
        var gate = Root._gate!;
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Exit(gate);
    }

    /// <summary>The transaction the unit's writes run in, with the unit's savepoint open; takes the writer on first use.</summary>
    internal async Task<(DbTransaction Transaction, string Savepoint, string Release, string RollBack)> OpenAsync(CancellationToken ct)
    {
        if (_transaction is null)
        {
            if (Parent is not null)
            {
                var transaction = (await Parent.OpenAsync(ct).ConfigureAwait(false)).Transaction;
                await Writer.ExecuteAsync(transaction, Savepoints[Depth]).ConfigureAwait(false);
                _transaction = transaction;
                // What this unit keeps becomes its parents' writes: their next write needs a savepoint of its own.
                for (var parent = Parent; parent is not null; parent = parent.Parent)
                    parent.Dirty = true;
            }
            else
            {
                // The writer opened the lease's savepoint before handing it over: it is this unit's.
                _lease = new WriterLease(Writer.LeaseDeadline(), ct);
                _transaction = await Writer.TakeAsync(_lease, ct).ConfigureAwait(false);
            }
        }
        var inner = Depth + 1;
        return (_transaction, Savepoints[inner], Releases[inner], RollBacks[inner]);
    }

    /// <summary>
    /// Ends the unit: keeps its writes (released into the parent, or committed by the outermost unit, which then runs
    /// the after-commit work) unless <paramref name="keep"/> is false or the unit rolls back.
    /// </summary>
    internal async Task EndAsync(bool keep)
    {
        keep &= !RollsBack;
        var statementsDone = false;
        try
        {
            if (_transaction is not null)
            {
                if (!keep)
                    await Writer.ExecuteAsync(_transaction, RollBacks[Depth]).ConfigureAwait(false);
                // The lease's savepoint is the writer's to release.
                if (Parent is not null)
                    await Writer.ExecuteAsync(_transaction, Releases[Depth]).ConfigureAwait(false);
            }
            statementsDone = true;
        }
        finally
        {
            // A statement that failed leaves the transaction in an unknown state: the whole lease is rolled back.
            _lease?.Release(statementsDone);
        }

        if (Parent is not null)
        {
            if (keep)
                Parent._afterCommit.AddRange(_afterCommit);
            return;
        }
        if (_lease is not null)
            await _lease.Committed.ConfigureAwait(false);
        if (!keep)
            return;
        foreach (var action in _afterCommit)
            await action(Token).ConfigureAwait(false);
    }

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
