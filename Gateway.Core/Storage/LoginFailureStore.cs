namespace Gateway.Core.Storage;

/// <summary>The lockout rule: this many failures within <paramref name="Window"/> lock a user for <paramref name="LockFor"/>.</summary>
/// <param name="Failures">Failures that lock.</param>
/// <param name="Window">How far back failures count.</param>
/// <param name="LockFor">How long a lock lasts unless an operator ends it first.</param>
public sealed record LockoutPolicy(int Failures, TimeSpan Window, TimeSpan LockFor);

/// <summary>Where a user stands when a login attempt arrives, before anything is checked.</summary>
public enum LockoutState
{
    /// <summary>The attempt may be checked.</summary>
    Open,
    /// <summary>The user is locked; nothing is checked.</summary>
    Locked,
    /// <summary>Failures and attempts being checked already reach the threshold; nothing more is checked until they end.</summary>
    Busy,
}

/// <summary>How an attempt counted and checked in one transaction ended.</summary>
public enum CheckedAttempt
{
    /// <summary>The check passed; nothing was recorded.</summary>
    Passed,
    /// <summary>The check failed and was recorded.</summary>
    Refused,
    /// <summary>The user is locked: it was before (nothing checked), or this failure locked it.</summary>
    Locked,
    /// <summary>Too many attempts are being checked already; nothing was checked.</summary>
    Busy,
}

/// <summary>
/// Failed logins and the lockout they lead to. A row of <c>login_failures</c> is an attempt counted before it is checked:
/// a failure, or an attempt still being checked. So however many attempts arrive together, at most the threshold are
/// ever checked while they fail; a success removes the rows again.
/// </summary>
public static class LoginFailureStore
{
    private const string PruneSql = "DELETE FROM login_failures WHERE UserId = @UserId AND FailedAt < @WindowStart";
    private const string StateSql = """
        SELECT Locked, LockedTime, (SELECT COUNT(*) FROM login_failures WHERE UserId = @UserId) AS Attempts FROM users WHERE UserId = @UserId
        """;
    // A lock that has run its time ends at the next attempt, which leaves one failure short of the threshold: as before
    // the lock, one more failure locks the user again.
    private const string EndLockSql = """
        DELETE FROM login_failures WHERE UserId = @UserId AND rowid NOT IN
            (SELECT rowid FROM login_failures WHERE UserId = @UserId ORDER BY FailedAt DESC, rowid DESC LIMIT @Keep);
        UPDATE users SET Locked = 0, LockedTime = NULL WHERE UserId = @UserId;
        """;
    private const string ReserveSql = "INSERT INTO login_failures (UserId, FailedAt) VALUES (@UserId, @Now) RETURNING rowid";
    private const string CountSql = "UPDATE users SET NumberOfFailedAttempt = (SELECT COUNT(*) FROM login_failures WHERE UserId = @UserId) WHERE UserId = @UserId;";
    private const string FailSql = CountSql + """
        UPDATE users SET Locked = 1, LockedTime = @Now WHERE UserId = @UserId AND Locked = 0 AND NumberOfFailedAttempt >= @Threshold;
        SELECT Locked FROM users WHERE UserId = @UserId;
        """;
    private const string ReleaseSql = "DELETE FROM login_failures WHERE UserId = @UserId AND rowid = @Row;" + CountSql;

    private const string ClearSql = """
        DELETE FROM login_failures WHERE UserId = @UserId;
        UPDATE users SET NumberOfFailedAttempt = 0, Locked = 0, LockedTime = NULL WHERE UserId = @UserId;
        """;

    private const string ForgetSql = """
        DELETE FROM login_failures WHERE UserId = @UserId;
        UPDATE users SET NumberOfFailedAttempt = 0 WHERE UserId = @UserId;
        """;

    private sealed record State(long Locked, string? LockedTime, long Attempts);

    /// <summary>
    /// Counts an attempt of <paramref name="userId"/> before it is checked (a row that stays as its failure) when the user is
    /// <see cref="LockoutState.Open"/>; the row id, for <see cref="ReleaseAsync"/>, is 0 otherwise.
    /// </summary>
    public static async Task<(LockoutState State, long Row)> ReserveAsync(WriteTransaction tx, int userId, DateTimeOffset now, LockoutPolicy policy)
    {
        var state = await StateAsync(tx, userId, now, policy).ConfigureAwait(false);
        if (state != LockoutState.Open)
            return (state, 0);
        var row = await tx.ScalarAsync<long>(ReserveSql, new { UserId = userId, Now = Timestamps.Iso(now) }).ConfigureAwait(false);
        // The user's row (cached by every node) carries the count and the lock: other nodes must drop what they hold.
        tx.MarkChanged(userId);
        await tx.ExecuteAsync(CountSql, new { UserId = userId }).ConfigureAwait(false);
        return (state, row);
    }

    /// <summary>A reserved attempt failed: locks the user when its failures reach the threshold; true when it is locked.</summary>
    public static async Task<bool> FailAsync(WriteTransaction tx, int userId, DateTimeOffset now, LockoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        return await tx.ScalarAsync<bool>(FailSql, new { UserId = userId, Now = Timestamps.Iso(now), Threshold = policy.Failures }).ConfigureAwait(false);
    }

    /// <summary>A reserved attempt passed without opening a session yet (a second factor follows): its row is removed.</summary>
    public static Task ReleaseAsync(WriteTransaction tx, int userId, long row)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        return tx.ExecuteAsync(ReleaseSql, new { UserId = userId, Row = row });
    }

    /// <summary>
    /// Counts and checks an attempt in one transaction: <paramref name="check"/> runs only when the user is open, and a
    /// failed check is recorded (and may lock the user) before the transaction ends. For checks cheap enough to run
    /// inside the writer: a signature, a TOTP code.
    /// </summary>
    public static async Task<CheckedAttempt> CheckAsync(WriteTransaction tx, int userId, DateTimeOffset now, LockoutPolicy policy, Func<Task<bool>> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var state = await StateAsync(tx, userId, now, policy).ConfigureAwait(false);
        if (state != LockoutState.Open)
            return state == LockoutState.Locked ? CheckedAttempt.Locked : CheckedAttempt.Busy;
        // Counting and checking share the writer's transaction, so no other attempt can slip in between; a passing check
        // needs no row at all.
        if (await check().ConfigureAwait(false))
            return CheckedAttempt.Passed;
        await tx.ScalarAsync<long>(ReserveSql, new { UserId = userId, Now = Timestamps.Iso(now) }).ConfigureAwait(false);
        return await FailAsync(tx, userId, now, policy).ConfigureAwait(false) ? CheckedAttempt.Locked : CheckedAttempt.Refused;
    }

    /// <summary>Forgets the failed logins of <paramref name="userId"/> and lifts its lock (a login that succeeded, UnLockUser).</summary>
    public static Task ClearAsync(WriteTransaction tx, int userId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        return tx.ExecuteAsync(ClearSql, new { UserId = userId });
    }

    /// <summary>Clears the failed-login count of <paramref name="userId"/> and leaves any lock as it is (a password reset).</summary>
    public static Task ForgetFailuresAsync(WriteTransaction tx, int userId)
    {
        ArgumentNullException.ThrowIfNull(tx);
        tx.MarkChanged(userId);
        return tx.ExecuteAsync(ForgetSql, new { UserId = userId });
    }

    private static async Task<LockoutState> StateAsync(WriteTransaction tx, int userId, DateTimeOffset now, LockoutPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        tx.MarkUncached();
        await tx.ExecuteAsync(PruneSql, new { UserId = userId, WindowStart = Timestamps.Iso(now - policy.Window) }).ConfigureAwait(false);
        var state = await tx.FirstOrDefaultAsync<State>(StateSql, new { UserId = userId }).ConfigureAwait(false);
        if (state is null)
            return LockoutState.Locked;
        var attempts = state.Attempts;
        if (state.Locked != 0)
        {
            if (state.LockedTime is null || now - Timestamps.Parse(state.LockedTime) < policy.LockFor)
                return LockoutState.Locked;
            var keep = Math.Max(0, policy.Failures - 1);
            tx.MarkChanged(userId);
            await tx.ExecuteAsync(EndLockSql, new { UserId = userId, Keep = keep }).ConfigureAwait(false);
            attempts = Math.Min(attempts, keep);
        }
        return attempts >= policy.Failures ? LockoutState.Busy : LockoutState.Open;
    }
}
