using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>Live sessions: opening, resuming by token, activity, and ending (log-out or expiry) with their sockets.</summary>
public sealed partial class SessionManager(SessionStore store, DbWriter writer, TimeProvider time, IOptions<GatewayOptions> options, ILogger<SessionManager> logger)
{
    /// <summary>Close code for sockets whose session ended.</summary>
    public const int PolicyViolation = 1008;

    // Activity is kept in memory and written back at most this often, so a busy socket does not write on every call.
    private static readonly TimeSpan PersistActivityEvery = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Session> _live = new(StringComparer.Ordinal);
    private readonly TimeSpan _timeout = TimeSpan.FromMinutes(options.Value.Security.SessionTimeoutMinutes);

    /// <summary>A new random token (256 bits) and its SHA-256, which is all that is stored.</summary>
    public static (string Token, byte[] Hash) NewToken()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, HashToken(token));
    }

    /// <summary>Sessions open in memory right now.</summary>
    public int LiveCount => _live.Count;

    /// <summary>Registers a session whose row has just been committed and binds it to <paramref name="connection"/>.</summary>
    public Session Open(byte[] tokenHash, int userId, string userName, IConnection connection, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = new Session(tokenHash, userId, userName, time.GetUtcNow(), apiKey);
        _live[Convert.ToHexString(tokenHash)] = session;
        Bind(connection, session);
        return session;
    }

    /// <summary>Finds the live or stored session for <paramref name="token"/> and binds it; null when unknown or expired.</summary>
    public async Task<Session?> ResumeAsync(string token, IConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var session = await FindAsync(token, ct).ConfigureAwait(false);
        if (session is not null)
            Bind(connection, session);
        return session;
    }

    /// <summary>The live or stored session for <paramref name="token"/>, marked active; null when unknown or expired.</summary>
    public async Task<Session?> FindAsync(string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = HashToken(token);
        var key = Convert.ToHexString(hash);
        if (!_live.TryGetValue(key, out var session))
        {
            var stored = await store.FindAsync(hash, ct).ConfigureAwait(false);
            if (stored is null)
                return null;
            session = _live.GetOrAdd(key, new Session(hash, (int)stored.UserId, stored.UserName, Timestamps.Parse(stored.LastActivity), stored.APIKey));
        }
        if (session.Ended || await ExpiredAsync(session, ct).ConfigureAwait(false))
        {
            await EndAsync(session, SessionEnd.Expired, audited: null, ct).ConfigureAwait(false);
            return null;
        }
        await TouchAsync(session, ct).ConfigureAwait(false);
        return session;
    }

    /// <summary>A session for one HTTP call signed with an API key: never stored, never resumed.</summary>
    public Session OneCall(int userId, string userName, string apiKey) =>
        new(RandomNumberGenerator.GetBytes(32), userId, userName, time.GetUtcNow(), apiKey);

    /// <summary>
    /// Ends every session opened with <paramref name="apiKey"/> (the key was removed): the live ones here, then the rows
    /// of any others, so that other nodes sharing the database close theirs and none can be resumed.
    /// </summary>
    public async Task EndForKeyAsync(string apiKey, CancellationToken ct)
    {
        foreach (var session in _live.Values.Where(s => s.ApiKey == apiKey).ToList())
            await EndAsync(session, SessionEnd.KeyRemoved, audited: null, ct).ConfigureAwait(false);
        await writer.WriteUnauditedAsync(tx => SessionStore.DeleteOfKeyAsync(tx, apiKey), ct).ConfigureAwait(false);
    }

    /// <summary>The sessions live on this node, of the users in <paramref name="userIds"/> (all of them when null).</summary>
    internal IReadOnlyList<Session> LiveOf(IReadOnlySet<long>? userIds) =>
        [.. _live.Values.Where(s => userIds is null || userIds.Contains(s.UserId))];

    /// <summary>
    /// Ends a live session whose row another node deleted (it logged the session out, expired it, or ended its user's
    /// sessions, and audited that): its sockets here are closed with 1008, and nothing more is written.
    /// </summary>
    internal void EndedElsewhere(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        EndDeleted(session.TokenHash, EndedElsewhereText);
    }

    /// <summary>The close frame's reason text for a session another node ended.</summary>
    internal const string EndedElsewhereText = "Session ended";

    /// <summary>Ends every session of <paramref name="userId"/>, live or only stored (the user may no longer act).</summary>
    public async Task EndUserAsync(int userId, SessionEnd why, CancellationToken ct)
    {
        foreach (var session in _live.Values.Where(s => s.UserId == userId).ToList())
            await EndAsync(session, why, audited: null, ct).ConfigureAwait(false);
        await writer.WriteUnauditedAsync(tx => SessionStore.DeleteOfUserAsync(tx, userId), ct).ConfigureAwait(false);
    }

    /// <summary>True when the session has been idle longer than the timeout.</summary>
    public bool IsExpired(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return time.GetUtcNow() - session.LastActivity > _timeout;
    }

    // With several nodes (PostgreSQL) a session may be live on more than one (a client resumed it elsewhere and came
    // back): only the node serving its calls sees them, and it writes the activity back at most once a minute. So a
    // session idle here is checked against its stored activity before it is ended: newer activity there counts.
    private async Task<bool> ExpiredAsync(Session session, CancellationToken ct)
    {
        if (!IsExpired(session))
            return false;
        if (!store.Shared)
            return true;
        var stored = await store.FindAsync(session.TokenHash, ct).ConfigureAwait(false);
        if (stored is not null && Timestamps.Parse(stored.LastActivity) is var at && at > session.LastActivity)
        {
            session.Touch(at);
            session.PersistedActivity = at;
        }
        return IsExpired(session);
    }

    /// <summary>Marks a call on the session; writes the activity back when the stored value is over a minute old.</summary>
    public async ValueTask TouchAsync(Session session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var now = time.GetUtcNow();
        session.Touch(now);
        if (now - session.PersistedActivity < PersistActivityEvery)
            return;
        session.PersistedActivity = now;
        await PersistActivityAsync(session.TokenHash, now, ct).ConfigureAwait(false);
    }

    // Apart from TouchAsync so that the closure below is made only for the write, not on every call.
    private Task PersistActivityAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken ct) =>
        writer.WriteUnauditedAsync(tx => SessionStore.TouchAsync(tx, tokenHash, now), ct);

    /// <summary>Binds a socket to a session (unbinding it from any session it had).</summary>
    public static void Bind(IConnection connection, Session session)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(session);
        connection.Session?.Detach(connection);
        session.Attach(connection);
        connection.Session = session;
    }

    /// <summary>
    /// Ends a session: deletes it and closes its sockets with 1008. The delete is audited as <paramref name="audited"/>'s
    /// call (LogOut) when given; a session of this process the gateway ends itself gets a record of its own
    /// (<see cref="SessionEnd.AuditFunction"/>, the reason as After), which is its <c>SessionEndedEvent</c>.
    /// </summary>
    public async Task EndAsync(Session session, SessionEnd why, CallContext? audited, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(why);
        if (!session.MarkEnded())
            return;
        var known = _live.TryRemove(new KeyValuePair<string, Session>(Convert.ToHexString(session.TokenHash), session));
        var entry = audited?.Audit ?? (known ? why.Audit() : null);
        Func<WriteTransaction, Task> delete = async tx =>
        {
            await SessionStore.DeleteAsync(tx, session.TokenHash).ConfigureAwait(false);
            tx.TargetUserId = session.UserId;
            tx.Change = $"session {session.Id} of user {session.UserId} ended";
            if (audited is null)
            {
                tx.AuditCreation(why.Subject(session.UserId));
                tx.Change += $": {why.Reason}";
            }
        };
        try
        {
            await (entry is null ? writer.WriteUnauditedAsync(delete, ct) : writer.WriteAsync(entry, delete, ct)).ConfigureAwait(false);
        }
        finally
        {
            foreach (var connection in session.Connections)
            {
                session.Detach(connection);
                connection.Session = null;
                connection.RequestClose(PolicyViolation, why.CloseText);
            }
            LogEnded(logger, session.Id, session.UserId, why.CloseText);
        }
    }

    /// <summary>The session with this token hash, if this process holds it in memory.</summary>
    internal Session? Live(byte[] tokenHash) => _live.TryGetValue(Convert.ToHexString(tokenHash), out var session) ? session : null;

    /// <summary>Ends a session whose row a login's transaction has already deleted: its sockets are closed with 1008.</summary>
    internal void EndDeleted(byte[] tokenHash, string reason)
    {
        if (Live(tokenHash) is not { } session || !session.MarkEnded())
            return;
        _live.TryRemove(new KeyValuePair<string, Session>(Convert.ToHexString(tokenHash), session));
        foreach (var connection in session.Connections)
        {
            session.Detach(connection);
            connection.Session = null;
            connection.RequestClose(PolicyViolation, reason);
        }
        LogEnded(logger, session.Id, session.UserId, reason);
    }

    /// <summary>Ends every expired session in memory and deletes stale rows left by earlier runs.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        foreach (var session in _live.Values.Where(IsExpired).ToList())
        {
            if (await ExpiredAsync(session, ct).ConfigureAwait(false))
                await EndAsync(session, SessionEnd.Expired, audited: null, ct).ConfigureAwait(false);
        }
        var before = time.GetUtcNow() - _timeout;
        await writer.WriteUnauditedAsync(tx => SessionStore.DeleteStaleAsync(tx, before), ct).ConfigureAwait(false);
    }

    internal static byte[] HashToken(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Session {SessionId} of user {UserId} ended: {Reason}")]
    private static partial void LogEnded(ILogger logger, string sessionId, int userId, string reason);
}
