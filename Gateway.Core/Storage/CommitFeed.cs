namespace Gateway.Core.Storage;

/// <summary>
/// Announces the audit rows each commit made, once per commit, in Id order, on the writer before any write of that
/// commit returns: rolled-back rows (a dry run, a failed write) are never announced. Storage does not know who listens.
/// With several nodes on one PostgreSQL database (<see cref="Track"/>), the feed also announces the rows other nodes
/// committed, so its listener sees every row of the shared log exactly once, in Id order, whichever node wrote it.
/// </summary>
public sealed class CommitFeed
{
    private readonly Lock _lock = new();
    private Action<IReadOnlyList<AuditLog.AuditRow>>? _listener;
    // The newest Id announced; -1 while the feed does not track the shared log (SQLite: only this process writes).
    private long _last = -1;

    /// <summary>Sets the one listener; it runs on the writer, so it must not block.</summary>
    public void Listen(Action<IReadOnlyList<AuditLog.AuditRow>> listener) => Volatile.Write(ref _listener, listener);

    internal bool Listening => Volatile.Read(ref _listener) is not null;

    /// <summary>True once the feed follows the shared log (<see cref="Track"/>).</summary>
    internal bool Tracking => Interlocked.Read(ref _last) >= 0;

    /// <summary>The newest Id announced, or -1 when the feed does not track the shared log.</summary>
    internal long LastAnnounced => Interlocked.Read(ref _last);

    /// <summary>
    /// Starts following the shared log from <paramref name="newestId"/> (the newest row when the node starts): every row
    /// after it is announced once, in Id order. Rows older than that are subscribers' replay, from the log itself.
    /// </summary>
    internal void Track(long newestId)
    {
        lock (_lock)
        {
            if (_last < 0)
                Interlocked.Exchange(ref _last, Math.Max(0, newestId));
        }
    }

    /// <summary>Announces a local commit's rows (after <paramref name="before"/>, rows of other nodes it read to fill the gap).</summary>
    internal void Announce(IReadOnlyList<AuditLog.AuditRow> rows, IReadOnlyList<AuditLog.AuditRow>? before = null)
    {
        if (!Tracking)
        {
            if (rows.Count > 0)
                Volatile.Read(ref _listener)?.Invoke(rows);
            return;
        }
        AnnounceInOrder(before is { Count: > 0 } ? [.. before, .. rows] : rows);
    }

    /// <summary>
    /// Announces rows read from the shared log (committed by other nodes, or by this one and not yet announced), in Id
    /// order: the rows announced already are skipped. <paramref name="rows"/> must be contiguous Ids, oldest first.
    /// </summary>
    internal void AnnounceInOrder(IReadOnlyList<AuditLog.AuditRow> rows)
    {
        if (rows.Count == 0)
            return;
        // One lock for the check and the announcement: the writer (local commits) and the listener (other nodes'
        // commits) both announce, and the listener must see their rows in Id order, each once.
        lock (_lock)
        {
            var fresh = new List<AuditLog.AuditRow>(rows.Count);
            foreach (var row in rows)
            {
                if (row.Id <= _last)
                    continue;
                // A row whose predecessor was never announced would be a gap; the callers read every row after the last
                // announced one, so this cannot happen unless the log was rewritten; announcing anyway keeps events flowing.
                fresh.Add(row);
                Interlocked.Exchange(ref _last, row.Id);
            }
            if (fresh.Count > 0)
                Volatile.Read(ref _listener)?.Invoke(fresh);
        }
    }
}
