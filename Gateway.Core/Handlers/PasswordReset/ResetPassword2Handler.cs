using System.Security.Cryptography;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Registration;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary>
/// ResetPassword2 (step 2): sets a new password with the mailed code. The length is checked first, then the code (an
/// unknown user, a wrong, used, voided or expired code all answer the same 101), then that the password differs from
/// the name and email. On success the code is used up, the failed-login count is cleared and every session of the user
/// ends; the lock, 2FA and API keys stay as they are.
/// </summary>
public sealed class ResetPassword2Handler(DbWriter writer, UserStore users, PasswordResetStore resets, ResetCodeGuard guard, PublicCallThrottle throttle,
    PasswordHasher hasher, PasswordGate gate, SessionManager sessions, ResetMails mails, SecurityEvents security, TimeProvider time,
    IOptions<GatewayOptions> options) : IHandler<ResetPassword2Request, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "ResetPassword2";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(ResetPassword2Request request, CallContext call, CancellationToken ct)
    {
        var minLength = options.Value.Registration.MinPasswordLength;
        var password = RegistrationRules.PasswordLength(request.Password, minLength);
        if (request.UserId is not > 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "UserId is required");
        if (string.IsNullOrEmpty(request.PendingCode))
            throw new GatewayException(ErrorCode.InvalidRequest, "PendingCode is required");
        if (!throttle.TryCountCodeCheck(call.Connection.RemoteAddress))
            throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);

        var userId = request.UserId.Value;
        var stored = await CheckCodeAsync(userId, ResetCode.Hash(request.PendingCode), ct).ConfigureAwait(false);
        var user = await users.FindAsync(userId, ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.OperationFailed, Failures.BadResetCode);
        RegistrationRules.Password(password, minLength, user.UserName, user.Email);
        var passwordHash = await HashAsync(password, ct).ConfigureAwait(false);

        await writer.WriteAsync(call.Audit, async tx =>
        {
            // Used once: of two resets racing with one code, only the first deletes the row.
            if (!await PasswordResetStore.ConsumeAsync(tx, userId, stored.CodeHash, time.GetUtcNow()).ConfigureAwait(false))
                throw new GatewayException(ErrorCode.OperationFailed, Failures.BadResetCode);
            await PasswordResetStore.VoidAllAsync(tx, userId).ConfigureAwait(false);
            await UserStore.SetPasswordHashAsync(tx, userId, passwordHash).ConfigureAwait(false);
            await LoginFailureStore.ForgetFailuresAsync(tx, userId).ConfigureAwait(false);
            tx.TargetUserId = userId;
            tx.Change = "password reset";
        }, ct).ConfigureAwait(false);

        await writer.AfterCommitAsync(async token =>
        {
            guard.Forget(userId);
            await sessions.EndUserAsync(userId, SessionEnd.PasswordReset, token).ConfigureAwait(false);
            security.PasswordReset(user.UserName, userId, call.Connection);
            mails.SendNotice(user);
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }

    // The same 101 for every way a code can fail; a wrong code counts toward voiding the outstanding one.
    private async Task<PasswordResetRow> CheckCodeAsync(int userId, byte[] codeHash, CancellationToken ct)
    {
        var stored = await resets.FindAsync(userId, ct).ConfigureAwait(false);
        if (stored is null || Timestamps.Parse(stored.ExpiresAt) <= time.GetUtcNow() || guard.IsVoid(userId, stored.CodeHash))
            throw new GatewayException(ErrorCode.OperationFailed, Failures.BadResetCode);
        if (CryptographicOperations.FixedTimeEquals(stored.CodeHash, codeHash))
            return stored;
        if (guard.Wrong(userId, stored.CodeHash))
            await writer.WriteUnauditedAsync(tx => PasswordResetStore.VoidAsync(tx, userId, stored.CodeHash), ct).ConfigureAwait(false);
        throw new GatewayException(ErrorCode.OperationFailed, Failures.BadResetCode);
    }

    // The hash runs in a slot of the password gate, as a login's does.
    private async Task<string> HashAsync(string password, CancellationToken ct)
    {
        using var slot = await gate.EnterAsync(ct).ConfigureAwait(false) ?? throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);
        return await PasswordGate.RunAsync(() => hasher.Hash(password)).ConfigureAwait(false);
    }
}
