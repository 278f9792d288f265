namespace Gateway.Core.Storage;

/// <summary>
/// Announces the audit rows each commit made, once per commit, in Id order, on the writer before any write of that
/// commit returns: rolled-back rows (a dry run, a failed write) are never announced. Storage does not know who listens.
/// </summary>
public sealed class CommitFeed
{
    private Action<IReadOnlyList<AuditLog.AuditRow>>? _listener;

    /// <summary>Sets the one listener; it runs on the writer, so it must not block.</summary>
    public void Listen(Action<IReadOnlyList<AuditLog.AuditRow>> listener) => Volatile.Write(ref _listener, listener);

    internal bool Listening => Volatile.Read(ref _listener) is not null;

    internal void Announce(IReadOnlyList<AuditLog.AuditRow> rows)
    {
        if (rows.Count > 0)
            Volatile.Read(ref _listener)?.Invoke(rows);
    }
}
