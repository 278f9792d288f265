using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary>
/// ResetPassword (step 1): mails a new single-use code to an active, unlocked user with an Email. Every well-formed
/// request answers the same Std success and does the same work (a code is made and one row written, the decoy row when
/// no mail goes out), so neither the reply nor its timing tells whether the name exists. No audit row: nothing a client
/// can read changes.
/// </summary>
public sealed class ResetPasswordHandler(DbWriter writer, PublicCallThrottle throttle, ResetCodeGuard guard, ResetMails mails, SecurityEvents security,
    TimeProvider time, IOptions<GatewayOptions> options) : IHandler<ResetPasswordRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "ResetPassword";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(ResetPasswordRequest request, CallContext call, CancellationToken ct)
    {
        var name = RequestedName(request.UserName);
        if (!throttle.TryCountResetRequest(call.Connection.RemoteAddress))
            throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);
        // Counted whether or not the name exists, so the limit reveals nothing; over it the reply stays the same.
        var mayMail = throttle.TryCountResetMail(UserNames.Key(name));
        var (code, hash) = ResetCode.New();
        var expires = time.GetUtcNow().AddMinutes(options.Value.PasswordReset.CodeMinutes);

        var target = await writer.WriteUnauditedAsync(async tx =>
        {
            var user = await UserStore.FindByNameAsync(tx, name).ConfigureAwait(false);
            var eligible = mayMail && user is { Active: true, Locked: false, Email.Length: > 0 };
            await PasswordResetStore.ReplaceAsync(tx, eligible ? user!.UserId : PasswordResetStore.DecoyUserId, hash, expires).ConfigureAwait(false);
            return eligible ? user : null;
        }, ct).ConfigureAwait(false);

        // After the commit (never in a dry run): the log line, and the mail from the outbox after the reply.
        await writer.AfterCommitAsync(() =>
        {
            security.ResetRequested(name, call.Connection);
            if (target is null)
                return;
            guard.Forget(target.UserId);
            mails.SendLink(target, code);
        }, ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }

    // 100 only for what is malformed whatever the database holds.
    private static string RequestedName(string? userName)
    {
        if (string.IsNullOrEmpty(userName))
            throw new GatewayException(ErrorCode.InvalidRequest, "UserName is required");
        if (userName.Length > 256)
            throw new GatewayException(ErrorCode.InvalidRequest, "UserName must be at most 256 characters");
        if (userName.Any(char.IsControl))
            throw new GatewayException(ErrorCode.InvalidRequest, "UserName must not contain control characters");
        return userName;
    }
}
