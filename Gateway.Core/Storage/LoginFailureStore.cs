namespace Gateway.Core.Storage;

/// <summary>Failed logins and the lockout they lead to: the recent failures of each user, and its Locked columns.</summary>
public static class LoginFailureStore
{
    private const string RecordSql = """
        INSERT INTO login_failures (UserId, FailedAt) VALUES (@UserId, @Now);
        DELETE FROM login_failures WHERE UserId = @UserId AND FailedAt < @WindowStart;
        UPDATE users SET NumberOfFailedAttempt = (SELECT COUNT(*) FROM login_failures WHERE UserId = @UserId) WHERE UserId = @UserId;
        UPDATE users SET Locked = 1, LockedTime = @Now WHERE UserId = @UserId AND NumberOfFailedAttempt >= @Threshold;
        """;

    private const string ClearSql = """
        DELETE FROM login_failures WHERE UserId = @UserId;
        UPDATE users SET NumberOfFailedAttempt = 0, Locked = 0, LockedTime = NULL WHERE UserId = @UserId;
        """;

    /// <summary>
    /// Records a failed login of <paramref name="userId"/> at <paramref name="now"/>, forgets its failures older than
    /// <paramref name="window"/>, and locks the user when <paramref name="threshold"/> or more remain.
    /// </summary>
    public static Task RecordAsync(WriteTransaction tx, int userId, DateTimeOffset now, TimeSpan window, int threshold) =>
        tx.ExecuteAsync(RecordSql, new
        {
            UserId = userId,
            Now = Timestamps.Iso(now),
            WindowStart = Timestamps.Iso(now - window),
            Threshold = threshold,
        });

    /// <summary>Forgets the failed logins of <paramref name="userId"/> and lifts its lock (a login that succeeded, UnLockUser).</summary>
    public static Task ClearAsync(WriteTransaction tx, int userId) => tx.ExecuteAsync(ClearSql, new { UserId = userId });
}
