using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>The outcome of a login attempt.</summary>
/// <param name="User">The user, on success.</param>
/// <param name="Token">The new session token, on success; shown to the client once.</param>
/// <param name="Locked">True when the user is locked (then no password is checked).</param>
public sealed record LoginResult(UserRow? User, string? Token, bool Locked)
{
    /// <summary>True when a session was opened.</summary>
    public bool Succeeded => User is not null;
}

/// <summary>Password logins: lockout after repeated failures, and the same answer for an unknown user and a wrong password.</summary>
public sealed class LoginService(UserStore users, PasswordHasher hasher, DbWriter writer, SessionManager sessions,
    TimeProvider time, IOptions<GatewayOptions> options)
{
    private const string RecordFailureSql = """
        INSERT INTO login_failures (UserId, FailedAt) VALUES (@UserId, @Now);
        DELETE FROM login_failures WHERE UserId = @UserId AND FailedAt < @WindowStart;
        UPDATE users SET NumberOfFailedAttempt = (SELECT COUNT(*) FROM login_failures WHERE UserId = @UserId) WHERE UserId = @UserId;
        UPDATE users SET Locked = 1, LockedTime = @Now WHERE UserId = @UserId AND NumberOfFailedAttempt >= @Threshold;
        SELECT Locked FROM users WHERE UserId = @UserId;
        """;

    private const string SucceededSql = """
        DELETE FROM login_failures WHERE UserId = @UserId;
        UPDATE users SET NumberOfFailedAttempt = 0, Locked = 0, LockedTime = NULL WHERE UserId = @UserId;
        """;

    private readonly SecurityOptions _security = options.Value.Security;

    /// <summary>Checks a user name and password and, when they match an unlocked, active user, opens a session bound to the call's socket.</summary>
    public async Task<LoginResult> LoginAsync(string? userName, string? password, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName, ct).ConfigureAwait(false);
        if (user is null || string.IsNullOrEmpty(password) || !user.Active)
        {
            hasher.VerifyDecoy(password ?? "");
            return new LoginResult(null, null, Locked: false);
        }

        var now = time.GetUtcNow();
        if (IsLocked(user, now))
        {
            // A locked user's password is not checked: answering differently for the right one would reveal it.
            hasher.VerifyDecoy(password);
            return new LoginResult(null, null, Locked: true);
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
            return new LoginResult(null, null, await RecordFailureAsync(user.UserId, now, ct).ConfigureAwait(false));

        var (token, hash) = SessionManager.NewToken();
        call.AuditUserId = user.UserId;
        await writer.WriteAsync(call, async tx =>
        {
            await tx.ExecuteAsync(SucceededSql, new { user.UserId }).ConfigureAwait(false);
            await SessionStore.InsertAsync(tx, hash, user.UserId, now).ConfigureAwait(false);
            tx.Change = $"user {user.UserId} logged in";
            return 0;
        }, ct).ConfigureAwait(false);
        sessions.Open(hash, user.UserId, user.UserName, call.Connection);
        return new LoginResult(user, token, Locked: false);
    }

    private bool IsLocked(UserRow user, DateTimeOffset now) =>
        user.Locked && (user.LockedTime is null || now - Timestamps.Parse(user.LockedTime) < TimeSpan.FromMinutes(_security.LockoutMinutes));

    private Task<bool> RecordFailureAsync(int userId, DateTimeOffset now, CancellationToken ct) =>
        writer.WriteUnauditedAsync(tx => tx.ScalarAsync<bool>(RecordFailureSql, new
        {
            UserId = userId,
            Now = Timestamps.Iso(now),
            WindowStart = Timestamps.Iso(now - TimeSpan.FromMinutes(_security.LockoutWindowMinutes)),
            Threshold = _security.LockoutFailures,
        }), ct);
}
