using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin add-operator &lt;user&gt;</c>: grants Operator, creating the user (with a new password) when absent.</summary>
internal sealed class AddOperatorCommand : AdminCommand
{
    public override string Name => "add-operator";

    public override string? Operand => "<user>";

    public override string Summary => "grants Operator; creates the user (password as for reset-password) if absent";

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        string userName;
        try
        {
            // The same name rules as CreateUser: NFKC, no control or invisible characters.
            userName = Gateway.Core.Sessions.UserNames.Clean(operand!, "the user name");
        }
        catch (Gateway.Core.Protocol.GatewayException e)
        {
            throw new AdminRefusedException(e.Detail);
        }
        // The password is asked for only when the user is to be created, and before the write starts.
        var exists = await admin.Users.FindByNameAsync(userName, ct).ConfigureAwait(false) is not null;
        var hash = exists ? null : admin.Hasher.Hash(await NewPassword.ReadAsync(admin.Configuration, userName).ConfigureAwait(false));
        return await admin.Writer.WriteAsync(admin.Audit(("UserName", userName)), async tx =>
        {
            var user = await UserStore.FindByNameAsync(tx, userName).ConfigureAwait(false);
            if (user is null)
            {
                var row = new UserRow { UserName = userName, DateTimeCreated = Timestamps.Iso(admin.Time.GetUtcNow()), Active = true };
                row.PasswordHash = hash ?? throw new AdminRefusedException($"'{userName}' was removed meanwhile; run the command again");
                var id = await UserStore.InsertAsync(tx, row).ConfigureAwait(false);
                await PermissionStore.GrantAsync(tx, id, PermissionNames.Operator).ConfigureAwait(false);
                tx.Change = $"user {id} '{userName}' created with Operator";
                return $"Created '{userName}' (UserId {id}) with the permission Operator.";
            }
            if (!await PermissionStore.GrantAsync(tx, user.UserId, PermissionNames.Operator).ConfigureAwait(false))
            {
                tx.Change = $"user {user.UserId} already held Operator";
                return $"'{user.UserName}' (UserId {user.UserId}) already holds Operator.";
            }
            tx.Change = $"user {user.UserId} granted Operator";
            return $"Granted Operator to '{user.UserName}' (UserId {user.UserId}).";
        }, ct).ConfigureAwait(false);
    }
}
