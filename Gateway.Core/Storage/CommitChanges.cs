namespace Gateway.Core.Storage;

/// <summary>
/// What the writer's open group commit changed beyond its audit rows, as the stores marked it on their
/// <see cref="WriteTransaction"/>: users and accounts whose cached state changed, and whether sessions were deleted.
/// Other nodes learn it from the commit's notice (PostgreSQL only). A mark made in a savepoint that later rolls back
/// stays: a notice that says too much only costs the other nodes a cache reload or a session check.
/// </summary>
internal sealed class CommitChanges
{
    private readonly HashSet<long> _users = [];
    private readonly HashSet<long> _accounts = [];

    /// <summary>True once anything was marked.</summary>
    public bool Any { get; private set; }

    /// <summary>True when a session row was deleted (log-out, expiry, a user's sessions ended).</summary>
    public bool SessionsEnded { get; private set; }

    public IReadOnlyCollection<long> Users => _users;

    public IReadOnlyCollection<long> Accounts => _accounts;

    public void Changed(long? userId, long? accountId)
    {
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

    public void Clear()
    {
        Any = false;
        SessionsEnded = false;
        _users.Clear();
        _accounts.Clear();
    }
}
