namespace Gateway.Core.Storage;

/// <summary>Two-factor enrolments: the salt from which the seed is derived, and the last time step used.</summary>
public static class TotpStore
{
    private const string FindSql = "SELECT Salt, LastStep FROM totp WHERE UserId = @UserId";
    private const string EnrollSql = """
        INSERT INTO totp (UserId, Salt, LastStep) VALUES (@UserId, @Salt, 0)
        ON CONFLICT (UserId) DO UPDATE SET Salt = excluded.Salt, LastStep = 0;
        UPDATE users SET Use2FA = 1 WHERE UserId = @UserId;
        """;
    private const string RemoveSql = "DELETE FROM totp WHERE UserId = @UserId; UPDATE users SET Use2FA = 0 WHERE UserId = @UserId;";
    private const string UseStepSql = "UPDATE totp SET LastStep = @Step WHERE UserId = @UserId AND LastStep < @Step";

    /// <summary>An enrolment.</summary>
    public sealed record Enrolment(byte[] Salt, long LastStep);

    /// <summary>The user's enrolment, or null.</summary>
    public static Task<Enrolment?> FindAsync(WriteTransaction tx, int userId) => tx.FirstOrDefaultAsync<Enrolment>(FindSql, new { UserId = userId });

    /// <summary>Enrols (or re-enrols) the user with a new salt and turns Use2FA on.</summary>
    public static Task EnrollAsync(WriteTransaction tx, int userId, byte[] salt) =>
        tx.ExecuteForUserAsync(userId, EnrollSql, new { UserId = userId, Salt = salt });

    /// <summary>Removes the enrolment and turns Use2FA off.</summary>
    public static Task RemoveAsync(WriteTransaction tx, int userId) => tx.ExecuteForUserAsync(userId, RemoveSql, new { UserId = userId });

    /// <summary>Marks a time step used; false when it (or a later one) was used already, so a code works once.</summary>
    public static async Task<bool> UseStepAsync(WriteTransaction tx, int userId, long step) =>
        await tx.ExecuteForUserAsync(userId, UseStepSql, new { UserId = userId, Step = step }).ConfigureAwait(false) == 1;
}
