using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin backup &lt;file&gt;</c>: a consistent copy, taken while a gateway runs or not.</summary>
internal sealed class BackupCommand : AdminCommand
{
    public override string Name => "backup";

    public override string? Operand => "<file>";

    public override string Summary => "writes a consistent copy (owner-only); works while the gateway runs";

    public override bool Exclusive => false;

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        var target = Path.GetFullPath(operand!);
        try
        {
            await Maintenance.BackupAsync(admin.Database, target, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // InvalidOperationException: a PostgreSQL database, which pg_dump backs up.
            throw new AdminRefusedException(e.Message, e);
        }
        var bytes = new FileInfo(target).Length;
        await admin.Writer.WriteAsync(admin.Audit(("File", target)), tx =>
        {
            tx.Change = $"backup written to {target} ({bytes} bytes)";
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        return $"Backed up {admin.Database.Describe} to {target} ({bytes} bytes).";
    }
}
