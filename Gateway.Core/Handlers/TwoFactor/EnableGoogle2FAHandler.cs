using System.Security.Cryptography;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.TwoFactor;

/// <summary>
/// EnableGoogle2FA: enrols a user in TOTP (RFC 6238, SHA-1, 6 digits, 30 s) with a new seed and returns it once;
/// from then on a password login needs Authenticate2FA. Enabling again replaces the seed.
/// </summary>
public sealed class EnableGoogle2FAHandler(UserLookup lookup, MasterKey masterKey, DbWriter writer) : IHandler<TwoFactorRequest, TwoFactorEnrolment>
{
    /// <summary>The issuer an authenticator app shows beside the code.</summary>
    public const string Issuer = "exchange-gateway";

    /// <inheritdoc />
    public static string Name => "EnableGoogle2FA";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading, Deposit, Withdraw, AccountReadOnly);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<TwoFactorEnrolment> HandleAsync(TwoFactorRequest request, CallContext call, CancellationToken ct)
    {
        TwoFactorAccess.EnsureMayChange(call);
        var user = await lookup.ResolveAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        var salt = RandomNumberGenerator.GetBytes(16);
        await writer.WriteAsync(call.Audit, async tx =>
        {
            await tx.AuditChangeAsync(AuditStates.User(user.UserId)).ConfigureAwait(false);
            await TotpStore.EnrollAsync(tx, user.UserId, salt).ConfigureAwait(false);
            tx.Change = $"two-factor login enabled for user {user.UserId}";
        }, ct).ConfigureAwait(false);

        var secret = Totp.Base32(masterKey.TotpSeed(user.UserId, salt));
        var label = Uri.EscapeDataString($"{Issuer}:{user.UserName}");
        return new TwoFactorEnrolment(secret,
            $"otpauth://totp/{label}?secret={secret}&issuer={Issuer}&algorithm=SHA1&digits=6&period={Totp.StepSeconds}");
    }
}
