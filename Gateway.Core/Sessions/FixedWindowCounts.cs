using System.Collections.Concurrent;

namespace Gateway.Core.Sessions;

/// <summary>
/// Counts per key in fixed windows (a minute unless told otherwise) that start at a key's first count. Taking a count and checking it against
/// the limit is one atomic step, so concurrent takers can never get past the limit together.
/// </summary>
internal sealed class FixedWindowCounts<TKey>(IEqualityComparer<TKey>? comparer = null, TimeSpan? window = null) where TKey : notnull
{
    private readonly TimeSpan _window = window ?? TimeSpan.FromMinutes(1);
    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<TKey, Counter> _counters = new(comparer);

    /// <summary>Counts one for <paramref name="key"/> unless its window already holds <paramref name="limit"/>; null when refused.</summary>
    public Ticket? TryTake(TKey key, int limit, DateTimeOffset now)
    {
        if (_counters.Count > PruneAbove)
            Prune(now);
        while (true)
        {
            var counter = _counters.GetOrAdd(key, static _ => new Counter());
            switch (counter.TryTake(limit, now, _window, out var windowStart))
            {
                case Taken.Yes:
                    return new Ticket(counter, windowStart);
                case Taken.No:
                    return null;
                default:
                    // A prune retired this counter between the lookup and the take; the next lookup finds its successor.
                    continue;
            }
        }
    }

    /// <summary>Gives a count back, if its window is still the current one.</summary>
    public static void Give(Ticket ticket) => ticket.Counter.Give(ticket.WindowStart);

    // Keeps memory bounded when many keys count once: counters whose window has passed are retired and dropped.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, counter) in _counters)
        {
            if (counter.TryRetire(now, _window))
                _counters.TryRemove(new KeyValuePair<TKey, Counter>(key, counter));
        }
    }

    /// <summary>One count taken: the counter and the window it was taken in.</summary>
    public sealed record Ticket(Counter Counter, DateTimeOffset WindowStart);

    /// <summary>The count of one key in its current window.</summary>
    internal sealed class Counter
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _windowStart;
        private int _count;
        private bool _retired;

        public Taken TryTake(int limit, DateTimeOffset now, TimeSpan window, out DateTimeOffset windowStart)
        {
            lock (_lock)
            {
                windowStart = _windowStart;
                if (_retired)
                    return Taken.Retired;
                if (now - _windowStart >= window)
                {
                    _windowStart = windowStart = now;
                    _count = 0;
                }
                if (_count >= limit)
                    return Taken.No;
                _count++;
                return Taken.Yes;
            }
        }

        public void Give(DateTimeOffset windowStart)
        {
            lock (_lock)
            {
                if (_windowStart == windowStart && _count > 0)
                    _count--;
            }
        }

        public bool TryRetire(DateTimeOffset now, TimeSpan window)
        {
            lock (_lock)
                return _retired = _retired || now - _windowStart >= window;
        }
    }

    /// <summary>What a take did.</summary>
    internal enum Taken
    {
        Yes,
        No,
        Retired,
    }
}
