using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin reset-password &lt;user&gt;</c>: a new password hash, and the user's stored sessions end.</summary>
internal sealed class ResetPasswordCommand : AdminCommand
{
    public override string Name => "reset-password";

    public override string? Operand => "<user>";

    public override string Summary => "sets a new password (from GATEWAY_NEW_PASSWORD or stdin) and ends the user's sessions";

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        var userName = operand!;
        var hash = admin.Hasher.Hash(await NewPassword.ReadAsync(admin.Configuration, userName).ConfigureAwait(false));
        var userId = await admin.Writer.WriteAsync(admin.Audit(("UserName", userName)), async tx =>
        {
            var user = await UserStore.FindByNameAsync(tx, userName).ConfigureAwait(false)
                ?? throw new AdminRefusedException($"no user is named '{userName}'");
            await UserStore.SetPasswordHashAsync(tx, user.UserId, hash).ConfigureAwait(false);
            // Sessions outlive a restart; the old password's sessions must not.
            await SessionStore.DeleteOfUserAsync(tx, user.UserId).ConfigureAwait(false);
            tx.Change = $"user {user.UserId} password reset, sessions ended";
            return user.UserId;
        }, ct).ConfigureAwait(false);
        return $"Reset the password of '{userName}' (UserId {userId}) and ended its sessions.";
    }
}
