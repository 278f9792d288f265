namespace Gateway.Core.Storage;

/// <summary>
/// The audit rows appended in the writer's open transaction. A savepoint rolled back takes its rows with it, and the next
/// row appended reuses the Id, so the committed rows are, for each Id up to the last one the transaction holds before it
/// commits, the row appended last with that Id.
/// </summary>
internal sealed class CommittedRows
{
    private readonly List<AuditLog.AuditRow> _appended = [];

    public bool IsEmpty => _appended.Count == 0;

    public void Add(AuditLog.AuditRow row) => _appended.Add(row);

    public void Clear() => _appended.Clear();

    /// <summary>The rows committed when the transaction's newest row is <paramref name="lastId"/>, in Id order; clears the list.</summary>
    public IReadOnlyList<AuditLog.AuditRow> Take(long lastId)
    {
        var kept = new SortedList<long, AuditLog.AuditRow>();
        foreach (var row in _appended)
        {
            if (row.Id <= lastId)
                kept[row.Id] = row;
        }
        _appended.Clear();
        return [.. kept.Values];
    }
}
