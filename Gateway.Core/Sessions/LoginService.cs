using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>How a login attempt ended.</summary>
public enum LoginOutcome
{
    /// <summary>A session was opened.</summary>
    Succeeded,
    /// <summary>Unknown user, wrong password, bad signature, bad code: one answer for all.</summary>
    Refused,
    /// <summary>The user is locked; nothing else was checked.</summary>
    Locked,
    /// <summary>The password was right; a TOTP code must follow on the same socket.</summary>
    SecondFactorRequired,
    /// <summary>The (APIKey, Nonce) pair was used already within the window; not counted toward lockout.</summary>
    Replayed,
    /// <summary>A login limit (per address, per user, or the password-hashing queue) was reached; nothing was checked.</summary>
    Throttled,
}

/// <summary>The outcome of a login attempt.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="User">The user, on success.</param>
/// <param name="Token">The session token, on success; shown to the client once.</param>
/// <param name="Session">The session a token resumed.</param>
public sealed record LoginResult(LoginOutcome Outcome, UserRow? User = null, string? Token = null, Session? Session = null)
{
    /// <summary>True when a session was opened.</summary>
    public bool Succeeded => Outcome == LoginOutcome.Succeeded;

    /// <summary>Why a refused login was refused, for the security log and the metrics.</summary>
    public Telemetry.LoginFailure? Why { get; init; }

    /// <summary>The user name a refused login named (as sent, or the user's), for the security log.</summary>
    public string? FailedName { get; init; }

    /// <summary>The user this refusal locked, if it was the failure that locked it.</summary>
    public UserRow? LockedNow { get; init; }
}

/// <summary>
/// Logins by password, by API-key signature, by second factor and by session token. Every attempt is counted before
/// anything is checked (toward its address's limits in memory, toward its user's lockout in the database), so attempts
/// sent together cannot get more checks than the limits allow; a success gives its counts back. An unknown user and a
/// wrong password answer alike, a locked user is not checked, replayed nonces are refused.
/// </summary>
public sealed partial class LoginService(UserStore users, ApiKeyStore apiKeys, PasswordHasher hasher, PasswordGate gate, MasterKey masterKey,
    DbWriter writer, SessionManager sessions, SessionCap cap, LoginThrottle throttle, SecurityEvents security, TimeProvider time, IOptions<GatewayOptions> options)
{
    private static readonly LoginResult Refused = new(LoginOutcome.Refused);
    private static readonly LoginResult Locked = new(LoginOutcome.Locked);
    private static readonly LoginResult Throttled = new(LoginOutcome.Throttled);
    // Turned away by the hashing queue: the gateway's own load, so the attempt does not count as a failure.
    private static readonly LoginResult Overloaded = new(LoginOutcome.Throttled);

    private readonly SecurityOptions _security = options.Value.Security;
    private readonly LockoutPolicy _lockout = new(options.Value.Security.LockoutFailures,
        TimeSpan.FromMinutes(options.Value.Security.LockoutWindowMinutes), TimeSpan.FromMinutes(options.Value.Security.LockoutMinutes));

    /// <summary>A user name and password; a user with 2FA is then left waiting for its code on the call's socket.</summary>
    public Task<LoginResult> LoginAsync(string? userName, string? password, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AdmittedAsync(call, countsAsLogin: true, userName, () => PasswordLoginAsync(userName, password ?? "", call, ct));
    }

    /// <summary>Binds the session of <paramref name="token"/> to the call's socket (WebAuthenticateUser with a SessionToken).</summary>
    public Task<LoginResult> ResumeAsync(string token, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AdmittedAsync(call, countsAsLogin: true, null, async () =>
        {
            // A token is a credential too: one that resumes nothing counts as a failed login of the address.
            var session = await sessions.FindAsync(token, ct).ConfigureAwait(false);
            if (session is null)
                return Because(Refused, LoginFailure.UnknownToken, null);
            if (!throttle.TryCountUserLogin(session.UserId))
                return Throttled;
            SessionManager.Bind(call.Connection, session);
            return new(LoginOutcome.Succeeded, Token: token, Session: session);
        });
    }

    // Counted before anything is checked: toward the address's logins (a signed HTTP call is not a login) and, as a failure,
    // toward its failed logins; the failure is given back when the attempt succeeds or the gateway was too busy to check it.
    private async Task<LoginResult> AdmittedAsync(CallContext call, bool countsAsLogin, string? name, Func<Task<LoginResult>> attempt)
    {
        var address = call.Connection.RemoteAddress;
        if (countsAsLogin && !throttle.TryCountLogin(address))
            return Report(Throttled with { FailedName = name }, call);
        if (throttle.TryReserve(address) is not { } reservation)
            return Report(Throttled with { FailedName = name }, call);
        var result = await attempt().ConfigureAwait(false);
        if (result.Outcome is LoginOutcome.Succeeded or LoginOutcome.SecondFactorRequired || ReferenceEquals(result, Overloaded))
            reservation.Release();
        Report(result, call);
        return result;
    }

    // One Warn line (and one count) per refused login, with its reason; and one more when this refusal locked the user.
    private LoginResult Report(LoginResult result, CallContext call)
    {
        if (result.Outcome is LoginOutcome.Succeeded or LoginOutcome.SecondFactorRequired)
            return result;
        var why = result.Why ?? result.Outcome switch
        {
            LoginOutcome.Locked => LoginFailure.Locked,
            LoginOutcome.Replayed => LoginFailure.ReplayedNonce,
            LoginOutcome.Throttled => LoginFailure.Throttled,
            _ => LoginFailure.WrongPassword,
        };
        security.LoginFailed(why, result.FailedName, call.Connection);
        if (result.LockedNow is { } locked)
            security.LockedOut(locked.UserName, locked.UserId, call.Connection);
        return result;
    }

    private static LoginResult Because(LoginResult result, LoginFailure why, string? name) => result with { Why = why, FailedName = name };

    private async Task<LoginResult> PasswordLoginAsync(string? userName, string password, CallContext call, CancellationToken ct)
    {
        var (refusal, user, row) = await CheckPasswordAsync(userName, password, ct).ConfigureAwait(false);
        if (refusal is not null)
            return refusal;
        if (user!.Use2FA)
        {
            await writer.WriteUnauditedAsync(tx => LoginFailureStore.ReleaseAsync(tx, user.UserId, row), ct).ConfigureAwait(false);
            var expires = time.GetUtcNow() + TimeSpan.FromMinutes(_security.SecondFactorMinutes);
            call.Connection.PendingSecondFactor = new PendingSecondFactor(user.UserId, expires);
            return new(LoginOutcome.SecondFactorRequired, user);
        }
        return await OpenSessionAsync(user, call, apiKey: null, nonce: null, ct).ConfigureAwait(false);
    }

    // Holds a hashing slot from before the user is looked up until its hash is done, so a login turned away by the gate
    // has cost nothing, and hashes a real user's password only once the attempt holds a place in its lockout count.
    // An unknown or inactive user costs the same hash. Null, the user and the reserved row when the password is right.
    private async Task<(LoginResult? Refusal, UserRow? User, long Row)> CheckPasswordAsync(string? userName, string password, CancellationToken ct)
    {
        using var slot = await gate.EnterAsync(ct).ConfigureAwait(false);
        if (slot is null)
            return (Overloaded, null, 0);
        var found = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName, ct).ConfigureAwait(false);
        if (found is not { Active: true } user || password.Length == 0)
        {
            await PasswordGate.RunAsync(() => hasher.VerifyDecoy(password)).ConfigureAwait(false);
            var why = found is null ? LoginFailure.UnknownUser : found.Active ? LoginFailure.WrongPassword : LoginFailure.Inactive;
            return (Because(Refused, why, found?.UserName ?? userName), null, 0);
        }
        if (!throttle.TryCountUserLogin(user.UserId))
            return (Throttled, null, 0);
        var now = time.GetUtcNow();
        var (state, row) = await writer.WriteUnauditedAsync(tx => LoginFailureStore.ReserveAsync(tx, user.UserId, now, _lockout), ct).ConfigureAwait(false);
        if (state == LockoutState.Busy)
            return (Throttled, null, 0);
        if (state == LockoutState.Locked)
        {
            // A locked user's password is not checked: answering differently for the right one would reveal it.
            await PasswordGate.RunAsync(() => hasher.VerifyDecoy(password)).ConfigureAwait(false);
            return (Because(Locked, LoginFailure.Locked, user.UserName), null, 0);
        }
        var matches = await PasswordGate.RunAsync(() => PasswordHasher.Verify(password, user.PasswordHash)).ConfigureAwait(false);
        slot.Dispose();
        if (matches)
            return (null, user, row);
        var locked = await writer.WriteUnauditedAsync(tx => LoginFailureStore.FailAsync(tx, user.UserId, now, _lockout), ct).ConfigureAwait(false);
        return (locked ? Because(Locked, LoginFailure.WrongPassword, user.UserName) with { LockedNow = user } : Because(Refused, LoginFailure.WrongPassword, user.UserName), null, 0);
    }

    private static LoginResult Refusal(CheckedAttempt attempt, LoginFailure why, string name) => attempt switch
    {
        CheckedAttempt.Locked => Because(Locked, LoginFailure.Locked, name),
        CheckedAttempt.Busy => Throttled,
        _ => Because(Refused, why, name),
    };

    private async Task<LoginResult> OpenSessionAsync(UserRow user, CallContext call, string? apiKey, string? nonce, CancellationToken ct)
    {
        var (token, hash) = SessionManager.NewToken();
        var now = time.GetUtcNow();
        IReadOnlyList<byte[]> ended = [];
        call.AuditUserId = user.UserId;
        try
        {
            await writer.WriteAsync(call.Audit, async tx =>
            {
                // The nonce is recorded in the login's own transaction: a replay changes nothing at all.
                if (apiKey is not null && !await ApiKeyStore.UseNonceAsync(tx, apiKey, nonce!, now, NonceWindow).ConfigureAwait(false))
                    throw new ReplayException();
                await LoginFailureStore.ClearAsync(tx, user.UserId).ConfigureAwait(false);
                await SessionStore.InsertAsync(tx, hash, user.UserId, now, apiKey).ConfigureAwait(false);
                ended = await cap.TrimAsync(tx, user.UserId, hash).ConfigureAwait(false);
                tx.TargetUserId = user.UserId;
                tx.Change = (apiKey is null ? $"user {user.UserId} logged in" : $"user {user.UserId} logged in with API key {apiKey}")
                    + (ended.Count == 0 ? "" : $"; its {ended.Count} least recently used session(s) over the cap ended");
            }, ct).ConfigureAwait(false);
        }
        catch (ReplayException)
        {
            return new(LoginOutcome.Replayed) { FailedName = user.UserName };
        }
        sessions.Open(hash, user.UserId, user.UserName, call.Connection, apiKey);
        cap.End(ended);
        return new(LoginOutcome.Succeeded, user, token);
    }

    private TimeSpan NonceWindow => TimeSpan.FromHours(_security.NonceWindowHours);

    private sealed class ReplayException : Exception;
}
