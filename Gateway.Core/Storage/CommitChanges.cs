namespace Gateway.Core.Storage;

/// <summary>
/// What the writer's open group commit changed, as the stores marked it on their <see cref="WriteTransaction"/>:
/// users and accounts whose cached state changed, and whether sessions were deleted. This node's
/// <see cref="ChangeClock"/> drops the cached values of those users; other nodes learn it from the commit's notice
/// (PostgreSQL only). Every store method that writes marks what it wrote, so a write that succeeded without any mark
/// did something no store named, and makes the commit <see cref="Unknown"/>: every cached value is dropped. A mark made
/// in a savepoint that later rolls back stays: saying too much only costs a reload.
/// </summary>
internal sealed class CommitChanges
{
    private readonly HashSet<long> _users = [];
    private readonly HashSet<long> _accounts = [];

    /// <summary>True once anything was marked.</summary>
    public bool Any { get; private set; }

    /// <summary>True when a write of the commit changed something without marking what (every cached value is then stale).</summary>
    public bool Unknown { get; private set; }

    /// <summary>How many marks have been made; a write that leaves it unchanged marked nothing.</summary>
    public long Marks { get; private set; }

    /// <summary>True when a session row was deleted (log-out, expiry, a user's sessions ended).</summary>
    public bool SessionsEnded { get; private set; }

    public IReadOnlyCollection<long> Users => _users;

    public IReadOnlyCollection<long> Accounts => _accounts;

    public void Changed(long? userId, long? accountId)
    {
        Marks++;
        Any = true;
        if (userId is { } user)
            _users.Add(user);
        if (accountId is { } account)
            _accounts.Add(account);
    }

    public void EndedSessions(long? userId)
    {
        SessionsEnded = true;
        Changed(userId, null);
    }

    /// <summary>The work wrote only what no cache holds (sessions, stored replies, nonces): nothing to tell.</summary>
    public void Uncached() => Marks++;

    /// <summary>Checks one write that succeeded: without a mark since <paramref name="marksBefore"/>, the commit is <see cref="Unknown"/>.</summary>
    public void Wrote(long marksBefore, WriteTransaction tx)
    {
        if (Marks == marksBefore && !tx.Unchanged)
            Unknown = true;
    }

    public void Clear()
    {
        Unknown = false;
        Any = false;
        SessionsEnded = false;
        _users.Clear();
        _accounts.Clear();
    }
}
