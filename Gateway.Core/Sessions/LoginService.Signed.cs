using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;

namespace Gateway.Core.Sessions;

public sealed partial class LoginService
{
    /// <summary>
    /// A signed login: Signature is hex HMAC-SHA256 keyed with the key's secret over <c>Nonce + UserId + APIKey</c>.
    /// With <paramref name="oneCall"/> no session is stored: the caller gets a session for this one HTTP call.
    /// </summary>
    public Task<LoginResult> ApiKeyLoginAsync(SignedLogin login, CallContext call, bool oneCall, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(login);
        ArgumentNullException.ThrowIfNull(call);
        // A signed HTTP call carries its credential on every request: it is not a login, but a refusal is a failed one.
        return AdmittedAsync(call, countsAsLogin: !oneCall, login.UserId, () => SignedLoginAsync(login, call, oneCall, ct));
    }

    private async Task<LoginResult> SignedLoginAsync(SignedLogin login, CallContext call, bool oneCall, CancellationToken ct)
    {
        var key = string.IsNullOrEmpty(login.ApiKey) ? null : await apiKeys.FindAsync(login.ApiKey, ct).ConfigureAwait(false);
        if (key is null || login.UserId != key.UserId.ToString(CultureInfo.InvariantCulture) || string.IsNullOrEmpty(login.Nonce))
            return Because(Refused, key is null ? LoginFailure.UnknownUser : LoginFailure.BadSignature, login.UserId);
        var user = await users.FindAsync((int)key.UserId, ct).ConfigureAwait(false);
        if (user is null || !user.Active)
            return Because(Refused, user is null ? LoginFailure.UnknownUser : LoginFailure.Inactive, user?.UserName ?? login.UserId);
        if (!oneCall && !throttle.TryCountUserLogin(user.UserId))
            return Throttled;
        var now = time.GetUtcNow();
        Func<Task<bool>> signatureMatches = () => Task.FromResult(SignatureMatches(key.APIKey, login));
        if (!oneCall)
        {
            var attempt = await writer.WriteUnauditedAsync(tx => LoginFailureStore.CheckAsync(tx, user.UserId, now, _lockout, signatureMatches), ct).ConfigureAwait(false);
            return attempt == CheckedAttempt.Passed ? await OpenSessionAsync(user, call, key.APIKey, login.Nonce, ct).ConfigureAwait(false) : Refusal(attempt, LoginFailure.BadSignature, user.UserName);
        }
        // Checked, counted and the nonce used in one transaction; a replay counts toward nothing of the user's.
        var outcome = await writer.WriteUnauditedAsync(async tx =>
        {
            var attempt = await LoginFailureStore.CheckAsync(tx, user.UserId, now, _lockout, signatureMatches).ConfigureAwait(false);
            if (attempt != CheckedAttempt.Passed)
                return Refusal(attempt, LoginFailure.BadSignature, user.UserName).Outcome;
            return await ApiKeyStore.UseNonceAsync(tx, key.APIKey, login.Nonce, now, NonceWindow).ConfigureAwait(false) ? LoginOutcome.Succeeded : LoginOutcome.Replayed;
        }, ct).ConfigureAwait(false);
        if (outcome != LoginOutcome.Succeeded)
            return new(outcome) { Why = outcome == LoginOutcome.Refused ? LoginFailure.BadSignature : null, FailedName = user.UserName };
        call.Connection.Session = sessions.OneCall(user.UserId, user.UserName, key.APIKey);
        return new(LoginOutcome.Succeeded, user);
    }

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
}

/// <summary>The four fields of a signed login, as text: UserId and Nonce exactly as the client wrote them.</summary>
/// <param name="ApiKey">The key.</param>
/// <param name="Signature">Hex HMAC-SHA256, either case.</param>
/// <param name="UserId">The key's user, as text.</param>
/// <param name="Nonce">Any value not used with this key in the last 24 hours, as text.</param>
public sealed record SignedLogin(string? ApiKey, string? Signature, string? UserId, string? Nonce);
