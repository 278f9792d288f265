using Dapper;
using static Gateway.Core.Storage.Timestamps;

namespace Gateway.Core.Storage;

/// <summary>Sessions as stored: the token's hash, never the token.</summary>
public sealed class SessionStore(Database database)
{
    private const string InsertSql = "INSERT INTO sessions (TokenHash, UserId, CreatedAt, LastActivity, APIKey) VALUES (@TokenHash, @UserId, @At, @At, @APIKey)";
    private const string FindSql = """
        SELECT s.UserId, u.UserName, s.LastActivity, s.APIKey FROM sessions s JOIN users u ON u.UserId = s.UserId WHERE s.TokenHash = @TokenHash
        """;
    private const string DeleteSql = "DELETE FROM sessions WHERE TokenHash = @TokenHash";
    private const string TouchSql = "UPDATE sessions SET LastActivity = @At WHERE TokenHash = @TokenHash";
    private const string DeleteOfUserSql = "DELETE FROM sessions WHERE UserId = @UserId";
    private const string DeleteOfKeySql = "DELETE FROM sessions WHERE APIKey = @APIKey";
    private const string DeleteStaleSql = "DELETE FROM sessions WHERE LastActivity < @Before";
    private const string CountForUserSql = "SELECT COUNT(*) FROM sessions WHERE UserId = @UserId";
    private const string ForUserSql = "SELECT TokenHash, LastActivity FROM sessions WHERE UserId = @UserId";

    /// <summary>True when other nodes share the database (PostgreSQL), so a session may be live on several.</summary>
    internal bool Shared => database.Provider == DatabaseProvider.Postgres;

    /// <summary>A stored session: its user and last activity.</summary>
    public sealed record StoredSession(long UserId, string UserName, string LastActivity, string? APIKey);

    /// <summary>The session whose token hashes to <paramref name="tokenHash"/>, or null.</summary>
    public async Task<StoredSession?> FindAsync(byte[] tokenHash, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<StoredSession>(new CommandDefinition(FindSql, new { TokenHash = tokenHash }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Stores a new session.</summary>
    public static Task InsertAsync(WriteTransaction tx, byte[] tokenHash, int userId, DateTimeOffset at, string? apiKey = null) =>
        tx.ExecuteUncachedAsync(InsertSql, new { TokenHash = tokenHash, UserId = userId, At = Iso(at), APIKey = apiKey });

    /// <summary>Removes a session.</summary>
    public static Task DeleteAsync(WriteTransaction tx, byte[] tokenHash)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkSessionsEnded();
        return tx.ExecuteAsync(DeleteSql, new { TokenHash = tokenHash });
    }

    /// <summary>Removes every session of <paramref name="userId"/>.</summary>
    public static Task DeleteOfUserAsync(WriteTransaction tx, int userId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkSessionsEnded(userId);
        return tx.ExecuteAsync(DeleteOfUserSql, new { UserId = userId });
    }

    /// <summary>
    /// Removes every session opened with <paramref name="apiKey"/> (the key was removed): those held by other nodes
    /// too, which close their sockets when told the sessions are gone.
    /// </summary>
    public static async Task<int> DeleteOfKeyAsync(WriteTransaction tx, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var deleted = await tx.ExecuteUncachedAsync(DeleteOfKeySql, new { APIKey = apiKey }).ConfigureAwait(false);
        if (deleted > 0)
            tx.MarkSessionsEnded();
        return deleted;
    }

    /// <summary>Records the session's last activity.</summary>
    public static Task TouchAsync(WriteTransaction tx, byte[] tokenHash, DateTimeOffset at) =>
        tx.ExecuteUncachedAsync(TouchSql, new { TokenHash = tokenHash, At = Iso(at) });

    /// <summary>A user's stored session: its token's hash and its last activity as last written.</summary>
    public sealed record UserSession(byte[] TokenHash, string LastActivity);

    /// <summary>How many sessions <paramref name="userId"/> has stored.</summary>
    public static Task<long> CountForUserAsync(WriteTransaction tx, int userId) => tx.ScalarAsync<long>(CountForUserSql, new { UserId = userId });

    /// <summary>Every stored session of <paramref name="userId"/>.</summary>
    public static async Task<IReadOnlyList<UserSession>> ForUserAsync(WriteTransaction tx, int userId) =>
        [.. await tx.QueryAsync<UserSession>(ForUserSql, new { UserId = userId }).ConfigureAwait(false)];

    /// <summary>Removes sessions idle since before <paramref name="before"/>.</summary>
    public static async Task<int> DeleteStaleAsync(WriteTransaction tx, DateTimeOffset before)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var deleted = await tx.ExecuteUncachedAsync(DeleteStaleSql, new { Before = Iso(before) }).ConfigureAwait(false);
        // The sweep runs every few minutes on every node and mostly deletes nothing: only a real delete is told.
        if (deleted > 0)
            tx.MarkSessionsEnded();
        return deleted;
    }
}
