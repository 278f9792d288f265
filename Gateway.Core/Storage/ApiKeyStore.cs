using Dapper;

namespace Gateway.Core.Storage;

/// <summary>API keys (with their permissions, never their secrets) and the nonces already used with them.</summary>
public sealed class ApiKeyStore(Database database)
{
    private const string FindSql = "SELECT APIKey, UserId, Permissions FROM api_keys WHERE APIKey = @APIKey";
    private const string OfUserSql = "SELECT APIKey, UserId, Permissions FROM api_keys WHERE UserId = @UserId ORDER BY CreatedAt, APIKey";
    private const string InsertSql = "INSERT INTO api_keys (APIKey, UserId, Permissions, CreatedAt) VALUES (@APIKey, @UserId, @Permissions, @CreatedAt)";
    private const string DeleteSql = "DELETE FROM api_keys WHERE APIKey = @APIKey AND UserId = @UserId";
    private const string NonceSql = "INSERT INTO api_nonces (APIKey, Nonce, SeenAt) VALUES (@APIKey, @Nonce, @SeenAt) ON CONFLICT DO NOTHING";
    private const string PruneSql = "DELETE FROM api_nonces WHERE SeenAt < @Before";

    /// <summary>A stored key: its user and its permissions.</summary>
    public sealed record ApiKeyRow(string APIKey, long UserId, string Permissions)
    {
        /// <summary>The permission names.</summary>
        public IReadOnlyList<string> PermissionList => Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The key, or null.</summary>
    public async Task<ApiKeyRow?> FindAsync(string apiKey, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<ApiKeyRow>(new CommandDefinition(FindSql, new { APIKey = apiKey }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The user's keys, oldest first.</summary>
    public async Task<IReadOnlyList<ApiKeyRow>> OfUserAsync(int userId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return (await db.QueryAsync<ApiKeyRow>(new CommandDefinition(OfUserSql, new { UserId = userId }, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }

    /// <summary>The user's keys as the transaction sees them, oldest first.</summary>
    public static async Task<IReadOnlyList<ApiKeyRow>> OfUserAsync(WriteTransaction tx, int userId) =>
        [.. await tx.QueryAsync<ApiKeyRow>(OfUserSql, new { UserId = userId }).ConfigureAwait(false)];

    /// <summary>Stores a new key.</summary>
    public static Task AddAsync(WriteTransaction tx, string apiKey, int userId, IEnumerable<string> permissions, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.ExecuteForUserAsync(userId, InsertSql, new { APIKey = apiKey, UserId = userId, Permissions = string.Join(',', permissions), CreatedAt = Timestamps.Iso(now) });
    }

    /// <summary>Removes the user's key; false when it has no such key.</summary>
    public static async Task<bool> RemoveAsync(WriteTransaction tx, string apiKey, int userId) =>
        await tx.ExecuteForUserAsync(userId, DeleteSql, new { APIKey = apiKey, UserId = userId }).ConfigureAwait(false) == 1;

    /// <summary>Records a (key, nonce) pair; false when it was already used within the window (a replay).</summary>
    public static async Task<bool> UseNonceAsync(WriteTransaction tx, string apiKey, string nonce, DateTimeOffset now, TimeSpan window)
    {
        await tx.ExecuteUncachedAsync(PruneSql, new { Before = Timestamps.Iso(now - window) }).ConfigureAwait(false);
        return await tx.ExecuteAsync(NonceSql, new { APIKey = apiKey, Nonce = nonce, SeenAt = Timestamps.Iso(now) }).ConfigureAwait(false) == 1;
    }
}
