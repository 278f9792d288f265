using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
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
    /// <summary>The remote address failed too many logins this minute; nothing was checked or counted.</summary>
    Throttled,
}

/// <summary>The outcome of a login attempt.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="User">The user, on success.</param>
/// <param name="Token">The new session token, on success; shown to the client once.</param>
public sealed record LoginResult(LoginOutcome Outcome, UserRow? User = null, string? Token = null)
{
    /// <summary>True when a session was opened.</summary>
    public bool Succeeded => Outcome == LoginOutcome.Succeeded;
}

/// <summary>
/// Logins by password, by API-key signature and by second factor: lockout after repeated failures, one answer for an
/// unknown user and a wrong password, replayed nonces refused.
/// </summary>
public sealed class LoginService(UserStore users, ApiKeyStore apiKeys, PasswordHasher hasher, MasterKey masterKey, DbWriter writer,
    SessionManager sessions, LoginThrottle throttle, TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly SecurityOptions _security = options.Value.Security;

    /// <summary>A user name and password; a user with 2FA is then left waiting for its code on the call's socket.</summary>
    public async Task<LoginResult> LoginAsync(string? userName, string? password, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (throttle.IsBlocked(call.Connection.RemoteAddress))
            return new(LoginOutcome.Throttled);
        return Counted(call, await PasswordLoginAsync(userName, password, call, ct).ConfigureAwait(false));
    }

    private async Task<LoginResult> PasswordLoginAsync(string? userName, string? password, CallContext call, CancellationToken ct)
    {
        var user = string.IsNullOrEmpty(userName) ? null : await users.FindByNameAsync(userName, ct).ConfigureAwait(false);
        if (user is null || string.IsNullOrEmpty(password) || !user.Active)
        {
            hasher.VerifyDecoy(password ?? "");
            return new(LoginOutcome.Refused);
        }
        var now = time.GetUtcNow();
        if (IsLocked(user, now))
        {
            // A locked user's password is not checked: answering differently for the right one would reveal it.
            hasher.VerifyDecoy(password);
            return new(LoginOutcome.Locked);
        }
        if (!PasswordHasher.Verify(password, user.PasswordHash))
            return await RefuseAsync(user.UserId, now, ct).ConfigureAwait(false);
        if (user.Use2FA)
        {
            call.Connection.PendingSecondFactor = new PendingSecondFactor(user.UserId, now + TimeSpan.FromMinutes(_security.SecondFactorMinutes));
            return new(LoginOutcome.SecondFactorRequired, user);
        }
        return await OpenSessionAsync(user, call, apiKey: null, nonce: null, ct).ConfigureAwait(false);
    }

    /// <summary>The TOTP code completing a password login made on the same socket; a code works once.</summary>
    public async Task<LoginResult> SecondFactorAsync(string? code, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (throttle.IsBlocked(call.Connection.RemoteAddress))
            return new(LoginOutcome.Throttled);
        return Counted(call, await CheckSecondFactorAsync(code, call, ct).ConfigureAwait(false));
    }

    private async Task<LoginResult> CheckSecondFactorAsync(string? code, CallContext call, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (call.Connection.PendingSecondFactor is not { } pending || pending.Expires < now)
            return new(LoginOutcome.Refused);
        var user = await users.FindAsync(pending.UserId, ct).ConfigureAwait(false);
        if (user is null || !user.Active)
            return new(LoginOutcome.Refused);
        if (IsLocked(user, now))
            return new(LoginOutcome.Locked);

        var accepted = await writer.WriteUnauditedAsync(async tx =>
        {
            var enrolment = await TotpStore.FindAsync(tx, user.UserId).ConfigureAwait(false);
            var step = enrolment is null || string.IsNullOrEmpty(code) ? null : Totp.MatchingStep(masterKey.TotpSeed(user.UserId, enrolment.Salt), code, now);
            return step is not null && await TotpStore.UseStepAsync(tx, user.UserId, step.Value).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
        if (!accepted)
            return await RefuseAsync(user.UserId, now, ct).ConfigureAwait(false);
        call.Connection.PendingSecondFactor = null;
        return await OpenSessionAsync(user, call, apiKey: null, nonce: null, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A signed login: Signature is hex HMAC-SHA256 keyed with the key's secret over <c>Nonce + UserId + APIKey</c>.
    /// With <paramref name="oneCall"/> no session is stored: the caller gets a session for this one HTTP call.
    /// </summary>
    public async Task<LoginResult> ApiKeyLoginAsync(SignedLogin login, CallContext call, bool oneCall, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(call);
        if (throttle.IsBlocked(call.Connection.RemoteAddress))
            return new(LoginOutcome.Throttled);
        return Counted(call, await SignedLoginAsync(login, call, oneCall, ct).ConfigureAwait(false));
    }

    private async Task<LoginResult> SignedLoginAsync(SignedLogin login, CallContext call, bool oneCall, CancellationToken ct)
    {
        var key = string.IsNullOrEmpty(login.ApiKey) ? null : await apiKeys.FindAsync(login.ApiKey, ct).ConfigureAwait(false);
        if (key is null || login.UserId != key.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture) || string.IsNullOrEmpty(login.Nonce))
            return new(LoginOutcome.Refused);
        var user = await users.FindAsync((int)key.UserId, ct).ConfigureAwait(false);
        if (user is null || !user.Active)
            return new(LoginOutcome.Refused);
        var now = time.GetUtcNow();
        if (IsLocked(user, now))
            return new(LoginOutcome.Locked);
        if (!SignatureMatches(key.APIKey, login))
            return await RefuseAsync(user.UserId, now, ct).ConfigureAwait(false);
        if (!oneCall)
            return await OpenSessionAsync(user, call, key.APIKey, login.Nonce, ct).ConfigureAwait(false);
        var fresh = await writer.WriteUnauditedAsync(tx => ApiKeyStore.UseNonceAsync(tx, key.APIKey, login.Nonce, now, NonceWindow), ct).ConfigureAwait(false);
        if (!fresh)
            return new(LoginOutcome.Replayed);
        call.Connection.Session = sessions.OneCall(user.UserId, user.UserName, key.APIKey);
        return new(LoginOutcome.Succeeded, user);
    }

    // Every way a login can fail counts toward its address's limit; a login that opened a session or asks for a code does not.
    private LoginResult Counted(CallContext call, LoginResult result)
    {
        if (result.Outcome is LoginOutcome.Refused or LoginOutcome.Locked or LoginOutcome.Replayed)
            throttle.RecordFailure(call.Connection.RemoteAddress);
        return result;
    }

    private TimeSpan NonceWindow => TimeSpan.FromHours(_security.NonceWindowHours);

    private bool SignatureMatches(string apiKey, SignedLogin login)
    {
        var secret = Encoding.UTF8.GetBytes(masterKey.ApiSecret(apiKey));
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(login.Nonce + login.UserId + apiKey));
        byte[] given;
        try
        {
            given = Convert.FromHexString(login.Signature ?? "");
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private async Task<LoginResult> OpenSessionAsync(UserRow user, CallContext call, string? apiKey, string? nonce, CancellationToken ct)
    {
        var (token, hash) = SessionManager.NewToken();
        var now = time.GetUtcNow();
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
                tx.TargetUserId = user.UserId;
                tx.Change = apiKey is null ? $"user {user.UserId} logged in" : $"user {user.UserId} logged in with API key {apiKey}";
            }, ct).ConfigureAwait(false);
        }
        catch (ReplayException)
        {
            return new(LoginOutcome.Replayed);
        }
        sessions.Open(hash, user.UserId, user.UserName, call.Connection, apiKey);
        return new(LoginOutcome.Succeeded, user, token);
    }

    private async Task<LoginResult> RefuseAsync(int userId, DateTimeOffset now, CancellationToken ct)
    {
        var window = TimeSpan.FromMinutes(_security.LockoutWindowMinutes);
        await writer.WriteUnauditedAsync(tx => LoginFailureStore.RecordAsync(tx, userId, now, window, _security.LockoutFailures), ct).ConfigureAwait(false);
        var user = await users.FindAsync(userId, ct).ConfigureAwait(false);
        return new(user is not null && IsLocked(user, now) ? LoginOutcome.Locked : LoginOutcome.Refused);
    }

    private bool IsLocked(UserRow user, DateTimeOffset now) =>
        user.Locked && (user.LockedTime is null || now - Timestamps.Parse(user.LockedTime) < TimeSpan.FromMinutes(_security.LockoutMinutes));

    private sealed class ReplayException : Exception;
}

/// <summary>The four fields of a signed login, as text: UserId and Nonce exactly as the client wrote them.</summary>
/// <param name="ApiKey">The key.</param>
/// <param name="Signature">Hex HMAC-SHA256, either case.</param>
/// <param name="UserId">The key's user, as text.</param>
/// <param name="Nonce">Any value not used with this key in the last 24 hours, as text.</param>
public sealed record SignedLogin(string? ApiKey, string? Signature, string? UserId, string? Nonce);
