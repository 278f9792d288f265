using Dapper;

namespace Gateway.Core.Storage;

/// <summary>Which permissions each user holds.</summary>
public sealed class PermissionStore(Database database, ReadCache cache)
{
    private const string HeldSql = "SELECT Permission FROM user_permissions WHERE UserId = @UserId ORDER BY Permission";
    private const string GrantSql = "INSERT INTO user_permissions (UserId, Permission) VALUES (@UserId, @Permission) ON CONFLICT DO NOTHING";
    private const string RevokeSql = "DELETE FROM user_permissions WHERE UserId = @UserId AND Permission = @Permission";

    /// <summary>The permissions <paramref name="userId"/> holds as of the last commit, by name.</summary>
    public async ValueTask<IReadOnlyList<string>> HeldAsync(int userId, CancellationToken ct) =>
        await CachedAsync(userId, ct).ConfigureAwait(false);

    /// <summary>The same names as <see cref="HeldAsync(int, CancellationToken)"/>, as GetUserPermissions writes them: read by index, without an enumerator.</summary>
    public async ValueTask<ReadOnlyMemory<string>> HeldNamesAsync(int userId, CancellationToken ct) =>
        await CachedAsync(userId, ct).ConfigureAwait(false);

    // The cache's own array: shared by every caller, so handed out only behind a read-only view.
    private ValueTask<string[]> CachedAsync(int userId, CancellationToken ct) =>
        cache.GetAsync(CacheKey.OfUser("permissions", userId), (database, userId), static async (state, token) =>
        {
            await using var db = await state.database.OpenAsync(token).ConfigureAwait(false);
            var held = await db.QueryAsync<string>(new CommandDefinition(HeldSql, new { UserId = state.userId }, cancellationToken: token)).ConfigureAwait(false);
            return held.ToArray();
        }, ct);

    /// <summary>The permissions <paramref name="userId"/> holds, as the transaction sees them.</summary>
    public static async Task<IReadOnlyList<string>> HeldAsync(WriteTransaction tx, int userId) =>
        (await tx.QueryAsync<string>(HeldSql, new { UserId = userId }).ConfigureAwait(false)).AsList();

    /// <summary>Grants <paramref name="permission"/>; false when it was already held.</summary>
    public static async Task<bool> GrantAsync(WriteTransaction tx, int userId, string permission) =>
        await tx.ExecuteForUserAsync(userId, GrantSql, new { UserId = userId, Permission = permission }).ConfigureAwait(false) == 1;

    /// <summary>Revokes <paramref name="permission"/>; false when it was not held.</summary>
    public static async Task<bool> RevokeAsync(WriteTransaction tx, int userId, string permission) =>
        await tx.ExecuteForUserAsync(userId, RevokeSql, new { UserId = userId, Permission = permission }).ConfigureAwait(false) == 1;
}
