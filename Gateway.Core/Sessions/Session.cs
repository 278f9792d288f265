using System.Collections.Concurrent;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Sessions;

/// <summary>A logged-in user's session: the sockets bound to it and when it was last used.</summary>
public sealed class Session
{
    private readonly ConcurrentDictionary<IConnection, byte> _connections = new();
    private long _lastActivityTicks;
    private int _ended;

    internal Session(byte[] tokenHash, int userId, string userName, DateTimeOffset lastActivity, string? apiKey)
    {
        ApiKey = apiKey;
        TokenHash = tokenHash;
        Id = Convert.ToHexStringLower(tokenHash.AsSpan(0, 6));
        UserId = userId;
        UserName = userName;
        _lastActivityTicks = lastActivity.UtcTicks;
        PersistedActivity = lastActivity;
    }

    /// <summary>A short, non-secret id for logs and audit records (a prefix of the token's hash).</summary>
    public string Id { get; }

    /// <summary>SHA-256 of the session token; the token itself is never stored.</summary>
    internal byte[] TokenHash { get; }

    /// <summary>The logged-in user.</summary>
    public int UserId { get; }

    /// <summary>The API key the session was opened with; its calls hold only that key's permissions. Null for a password login.</summary>
    public string? ApiKey { get; }

    /// <summary>The logged-in user's name at login.</summary>
    public string UserName { get; }

    /// <summary>The last call made with this session.</summary>
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);

    internal DateTimeOffset PersistedActivity { get; set; }

    /// <summary>True once logged out or expired.</summary>
    public bool Ended => Volatile.Read(ref _ended) == 1;

    /// <summary>The sockets bound to this session now.</summary>
    public ICollection<IConnection> Connections => _connections.Keys;

    internal void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastActivityTicks, now.UtcTicks);

    internal void Attach(IConnection connection) => _connections.TryAdd(connection, 0);

    /// <summary>Unbinds a socket that closed.</summary>
    public void Detach(IConnection connection) => _connections.TryRemove(connection, out _);

    internal bool MarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;
}
