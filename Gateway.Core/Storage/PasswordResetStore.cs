using Dapper;

namespace Gateway.Core.Storage;

/// <summary>Outstanding password-reset codes: one per user, only the SHA-256 of the code, with its expiry.</summary>
public sealed class PasswordResetStore(Database database)
{
    /// <summary>The user a request for an unknown or ineligible name writes, so every request runs the same statement.</summary>
    public const int DecoyUserId = 0;

    private const string ReplaceSql = """
        INSERT INTO password_resets (UserId, CodeHash, ExpiresAt) VALUES (@UserId, @CodeHash, @ExpiresAt)
        ON CONFLICT (UserId) DO UPDATE SET CodeHash = excluded.CodeHash, ExpiresAt = excluded.ExpiresAt
        """;
    private const string FindSql = "SELECT UserId, CodeHash, ExpiresAt FROM password_resets WHERE UserId = @UserId AND UserId <> 0";
    private const string ConsumeSql = "DELETE FROM password_resets WHERE UserId = @UserId AND CodeHash = @CodeHash AND ExpiresAt > @Now";
    private const string VoidSql = "DELETE FROM password_resets WHERE UserId = @UserId AND CodeHash = @CodeHash";
    private const string VoidAllSql = "DELETE FROM password_resets WHERE UserId = @UserId";

    /// <summary>The user's outstanding code as committed, or null (the decoy row is never found).</summary>
    public async Task<PasswordResetRow?> FindAsync(int userId, CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        return await db.QueryFirstOrDefaultAsync<PasswordResetRow>(new CommandDefinition(FindSql, new { UserId = userId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Makes <paramref name="codeHash"/> the user's only code (any older one stops working).</summary>
    public static Task ReplaceAsync(WriteTransaction tx, int userId, byte[] codeHash, DateTimeOffset expiresAt) =>
        tx.ExecuteUncachedAsync(ReplaceSql, new { UserId = userId, CodeHash = codeHash, ExpiresAt = Timestamps.Iso(expiresAt) });

    /// <summary>Deletes the code if it is still the user's and unexpired; false when it was not (used, replaced or expired meanwhile).</summary>
    public static async Task<bool> ConsumeAsync(WriteTransaction tx, int userId, byte[] codeHash, DateTimeOffset now) =>
        await tx.ExecuteUncachedAsync(ConsumeSql, new { UserId = userId, CodeHash = codeHash, Now = Timestamps.Iso(now) }).ConfigureAwait(false) == 1;

    /// <summary>Deletes the code if it is still the user's (too many wrong tries).</summary>
    public static Task VoidAsync(WriteTransaction tx, int userId, byte[] codeHash) =>
        tx.ExecuteUncachedAsync(VoidSql, new { UserId = userId, CodeHash = codeHash });

    /// <summary>Deletes every code of the user.</summary>
    public static Task VoidAllAsync(WriteTransaction tx, int userId) => tx.ExecuteUncachedAsync(VoidAllSql, new { UserId = userId });
}

/// <summary>A row of <c>password_resets</c>.</summary>
public sealed class PasswordResetRow
{
    /// <summary>Column.</summary>
    public int UserId { get; set; }
    /// <summary>Column: SHA-256 of the code.</summary>
    public byte[] CodeHash { get; set; } = [];
    /// <summary>Column: ISO-8601 UTC.</summary>
    public string ExpiresAt { get; set; } = "";
}
