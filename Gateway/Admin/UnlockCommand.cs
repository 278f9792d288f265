using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin unlock &lt;user&gt;</c>: what UnLockUser does, for when no operator can log in.</summary>
internal sealed class UnlockCommand : AdminCommand
{
    public override string Name => "unlock";

    public override string? Operand => "<user>";

    public override string Summary => "lifts a lock and clears the failed-login count";

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        var userName = operand!;
        var userId = await admin.Writer.WriteAsync(admin.Audit(("UserName", userName)), async tx =>
        {
            var user = await UserStore.FindByNameAsync(tx, userName).ConfigureAwait(false)
                ?? throw new AdminRefusedException($"no user is named '{userName}'");
            await LoginFailureStore.ClearAsync(tx, user.UserId).ConfigureAwait(false);
            tx.Change = $"user {user.UserId} unlocked";
            return user.UserId;
        }, ct).ConfigureAwait(false);
        return $"Unlocked '{userName}' (UserId {userId}).";
    }
}
