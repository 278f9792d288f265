using System.Collections.Concurrent;

namespace Gateway.Core.Storage;

/// <summary>
/// Reads that stay valid until the next commit: each value is kept with the writer's <see cref="DbWriter.Generation"/>
/// read before it was loaded, and the whole cache is dropped when the generation moves. A call that starts after a
/// write was acknowledged therefore never sees what the write changed in its old state (a revoked permission, say).
/// </summary>
public sealed class ReadCache(DbWriter writer)
{
    private const int MaxEntries = 100_000;

    private Snapshot _current = new(-1);

    /// <summary>The cached value of (<paramref name="kind"/>, <paramref name="key"/>), or <paramref name="load"/>'s when none is current.</summary>
    public async ValueTask<T> GetAsync<T>(string kind, string key, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(load);
        // While this node cannot hear other nodes' commits, nothing it caches could be trusted: every read is fresh.
        if (writer.CacheBypassed)
            return await load(ct).ConfigureAwait(false);
        var generation = writer.Generation;
        var snapshot = Current(generation);
        if (snapshot.Generation != generation || snapshot.Entries.Count >= MaxEntries)
            return await load(ct).ConfigureAwait(false);

        // Callers missing the same entry at once share one load (a commit makes every caller miss together); the load is
        // not tied to the first caller's token, so its leaving does not fail the others.
        var entry = snapshot.Entries.GetOrAdd((kind, key), static (_, load) => new Lazy<Task<object?>>(
            async () => await load(CancellationToken.None).ConfigureAwait(false)), load);
        try
        {
            return (T)(await entry.Value.WaitAsync(ct).ConfigureAwait(false))!;
        }
        catch (Exception) when (!entry.Value.IsCompletedSuccessfully)
        {
            snapshot.Entries.TryRemove(new KeyValuePair<(string, string), Lazy<Task<object?>>>((kind, key), entry));
            throw;
        }
    }

    private Snapshot Current(long generation)
    {
        var snapshot = Volatile.Read(ref _current);
        if (snapshot.Generation >= generation)
            return snapshot;
        var fresh = new Snapshot(generation);
        var seen = Interlocked.CompareExchange(ref _current, fresh, snapshot);
        return ReferenceEquals(seen, snapshot) ? fresh : seen;
    }

    private sealed class Snapshot(long generation)
    {
        public long Generation { get; } = generation;

        public ConcurrentDictionary<(string Kind, string Key), Lazy<Task<object?>>> Entries { get; } = new();
    }
}
