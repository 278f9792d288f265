using System.Collections.Concurrent;

namespace Gateway.Core.Storage;

/// <summary>
/// Reads that stay valid until a commit changes what they depend on. Each value is kept with the writer's
/// <see cref="ChangeClock.Now"/> read before it was loaded, and is used only while no later commit marked its user (or,
/// for values holding account rows, any account; for values of no one user, anything at all). A call that starts after
/// a write was acknowledged therefore never sees what the write changed in its old state (a revoked permission, say),
/// while writes to other users leave this user's values cached.
/// </summary>
public sealed class ReadCache(DbWriter writer)
{
    private const int MaxEntries = 100_000;

    private ConcurrentDictionary<CacheKey, Entry> _entries = new();
    private int _count;

    /// <summary>The cached value of <paramref name="key"/>, or <paramref name="load"/>'s (given <paramref name="state"/>) when none is current.</summary>
    public ValueTask<T> GetAsync<TState, T>(CacheKey key, TState state, Func<TState, CancellationToken, Task<T>> load, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(load);
        // While this node cannot hear other nodes' commits, nothing it caches could be trusted: every read is fresh.
        if (writer.CacheBypassed)
            return new ValueTask<T>(load(state, ct));
        var clock = writer.Clock;
        var entries = Volatile.Read(ref _entries);
        if (!entries.TryGetValue(key, out var entry) || !clock.IsCurrent(entry.LoadedAt, key.UserId, key.ReadsAccounts))
            entry = Replace(entries, key, entry, clock.Now, state, load);
        // The common case, a current value already loaded, answers without an await.
        var value = entry.Value.Value;
        return value.IsCompletedSuccessfully ? new ValueTask<T>((T)value.Result!) : AwaitAsync<T>(entries, key, entry, ct);
    }

    private static async ValueTask<T> AwaitAsync<T>(ConcurrentDictionary<CacheKey, Entry> entries, CacheKey key, Entry entry, CancellationToken ct)
    {
        try
        {
            return (T)(await entry.Value.Value.WaitAsync(ct).ConfigureAwait(false))!;
        }
        catch (Exception) when (!entry.Value.Value.IsCompletedSuccessfully)
        {
            entries.TryRemove(new KeyValuePair<CacheKey, Entry>(key, entry));
            throw;
        }
    }

    // Puts a fresh entry in place of a missing or stale one. Callers missing the same entry at once share one load (a
    // commit makes every reader of its user miss together): whoever loses the race takes the winner's entry when it is
    // current. The load is not tied to the first caller's token, so its leaving does not fail the others.
    private Entry Replace<TState, T>(ConcurrentDictionary<CacheKey, Entry> entries, CacheKey key, Entry? stale, long now, TState state, Func<TState, CancellationToken, Task<T>> load)
    {
        var fresh = new Entry(now, new Lazy<Task<object?>>(async () => await load(state, CancellationToken.None).ConfigureAwait(false)));
        if (stale is null ? entries.TryAdd(key, fresh) : entries.TryUpdate(key, fresh, stale))
        {
            if (stale is null && Interlocked.Increment(ref _count) > MaxEntries)
                Reset(entries);
            return fresh;
        }
        if (entries.TryGetValue(key, out var winner) && winner.LoadedAt >= now)
            return winner;
        // Lost to an entry older than this caller's view (or to a removal): read without caching.
        return fresh;
    }

    // A full cache starts again empty rather than stop caching.
    private void Reset(ConcurrentDictionary<CacheKey, Entry> full)
    {
        if (Interlocked.CompareExchange(ref _entries, new ConcurrentDictionary<CacheKey, Entry>(), full) == full)
            Volatile.Write(ref _count, 0);
    }

    private sealed class Entry(long loadedAt, Lazy<Task<object?>> value)
    {
        public long LoadedAt { get; } = loadedAt;

        public Lazy<Task<object?>> Value { get; } = value;
    }
}

/// <summary>
/// What a cached value is and what it depends on: its <see cref="Kind"/> and key (<see cref="UserId"/> or
/// <see cref="Name"/>), and whether it holds account rows as well as the user's own state.
/// </summary>
/// <param name="Kind">The kind of value, a constant such as "permissions".</param>
/// <param name="UserId">The user the value belongs to; 0 for a value any commit may change (a lookup by name).</param>
/// <param name="Name">The key of a value that belongs to no one user (a user name); null otherwise.</param>
/// <param name="ReadsAccounts">True when the value holds account rows: a change to any account makes it stale.</param>
public readonly record struct CacheKey(string Kind, long UserId, string? Name, bool ReadsAccounts)
{
    /// <summary>A value of <paramref name="userId"/>'s own state (its row, its permissions, its links).</summary>
    public static CacheKey OfUser(string kind, long userId, bool readsAccounts = false) => new(kind, userId, null, readsAccounts);

    /// <summary>A value that any commit may change, such as which user a name belongs to.</summary>
    public static CacheKey OfAnyCommit(string kind, string name) => new(kind, 0, name, false);
}
