using System.Collections.Concurrent;

namespace Gateway.Core.Storage;

/// <summary>
/// Counts commits and remembers which commit last changed each user, so <see cref="ReadCache"/> drops only what a
/// commit touched. <see cref="Now"/> moves once per commit (this node's, or another node's heard through its notice),
/// after the commit's marks are in place and before any write of it replies: a value loaded after reading
/// <see cref="Now"/> as <c>n</c> is current while no commit later than <c>n</c> marked what it depends on.
/// A commit that cannot say what it changed marks everything.
/// </summary>
public sealed class ChangeClock
{
    // Past this many users marked since the last "everything", the next commit marks everything instead, which empties
    // the table: it never grows past the users that changed between two such resets.
    private const int MaxMarkedUsers = 50_000;

    private readonly Lock _gate = new();
    private long _now;
    private Marks _marks = new(0);

    /// <summary>The newest commit applied; read it before loading a value to cache.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>True when a value loaded at <paramref name="loadedAt"/> for <paramref name="userId"/> is still current.</summary>
    /// <param name="loadedAt"><see cref="Now"/> as read before the value was loaded.</param>
    /// <param name="userId">The user the value belongs to; 0 for a value that any commit may change.</param>
    /// <param name="readsAccounts">True when the value also holds account rows (which any account change may alter).</param>
    public bool IsCurrent(long loadedAt, long userId, bool readsAccounts)
    {
        if (userId == 0)
            return Now == loadedAt;
        var marks = Volatile.Read(ref _marks);
        if (marks.Everything > loadedAt || (readsAccounts && Volatile.Read(ref marks.Accounts) > loadedAt))
            return false;
        return !marks.Users.TryGetValue(userId, out var changed) || changed <= loadedAt;
    }

    /// <summary>Applies one commit that changed <paramref name="users"/> and, when <paramref name="accounts"/>, some account's row.</summary>
    internal void Advance(IEnumerable<long> users, bool accounts)
    {
        lock (_gate)
        {
            var next = _now + 1;
            var marks = _marks;
            if (marks.Users.Count >= MaxMarkedUsers)
            {
                Volatile.Write(ref _marks, new Marks(next));
            }
            else
            {
                foreach (var user in users)
                    marks.Users[user] = next;
                if (accounts)
                    Volatile.Write(ref marks.Accounts, next);
            }
            Volatile.Write(ref _now, next);
        }
    }

    /// <summary>Applies one commit that may have changed anything: every cached value is stale.</summary>
    internal void AdvanceAll()
    {
        lock (_gate)
        {
            var next = _now + 1;
            // A new table, not a cleared one: a reader still holding the old table sees the marks it had.
            Volatile.Write(ref _marks, new Marks(next));
            Volatile.Write(ref _now, next);
        }
    }

    private sealed class Marks(long everything)
    {
        public readonly long Everything = everything;
        public long Accounts = everything;
        public readonly ConcurrentDictionary<long, long> Users = new();
    }
}
