using Gateway.Core.Dispatch;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;

namespace Gateway.Core.Sessions;

public sealed partial class LoginService
{
    /// <summary>The TOTP code completing a password login made on the same socket; a code works once.</summary>
    public Task<LoginResult> SecondFactorAsync(string? code, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return AdmittedAsync(call, countsAsLogin: true, null, () => CheckSecondFactorAsync(code, call, ct));
    }

    private async Task<LoginResult> CheckSecondFactorAsync(string? code, CallContext call, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (call.Connection.PendingSecondFactor is not { } pending || pending.Expires < now)
            return Because(Refused, LoginFailure.Bad2FACode, null);
        var user = await users.FindAsync(pending.UserId, ct).ConfigureAwait(false);
        if (user is null || !user.Active)
            return Because(Refused, user is null ? LoginFailure.UnknownUser : LoginFailure.Inactive, user?.UserName);
        if (!throttle.TryCountUserLogin(user.UserId))
            return Throttled;

        // The code is checked in the transaction that counts it toward the lockout, so no other attempt slips in between.
        var attempt = await writer.WriteUnauditedAsync(tx => LoginFailureStore.CheckAsync(tx, user.UserId, now, _lockout, async () =>
        {
            var enrolment = await TotpStore.FindAsync(tx, user.UserId).ConfigureAwait(false);
            var step = enrolment is null || string.IsNullOrEmpty(code) ? null : Totp.MatchingStep(masterKey.TotpSeed(user.UserId, enrolment.Salt), code, now);
            return step is not null && await TotpStore.UseStepAsync(tx, user.UserId, step.Value).ConfigureAwait(false);
        }), ct).ConfigureAwait(false);
        if (attempt != CheckedAttempt.Passed)
            return Refusal(attempt, LoginFailure.Bad2FACode, user.UserName);
        call.Connection.PendingSecondFactor = null;
        return await OpenSessionAsync(user, call, apiKey: null, nonce: null, ct).ConfigureAwait(false);
    }
}
