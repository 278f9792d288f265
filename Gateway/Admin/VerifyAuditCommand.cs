using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin verify-audit</c>: exit 0 when the audit log checks out, 1 with the first problem.</summary>
internal sealed class VerifyAuditCommand : AdminCommand
{
    public override string Name => "verify-audit";

    public override string Summary => "checks the audit log; exit 1 with the first problem";

    public override bool Exclusive => false;

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        if (await FirstProblemAsync(admin, ct).ConfigureAwait(false) is { } problem)
            throw new AdminRefusedException($"database {admin.Database.Describe} fails verification: {problem}");
        await admin.Writer.WriteAsync(admin.Audit(), tx =>
        {
            tx.Change = "verified";
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        return $"Verified {admin.Database.Describe}: no problem found.";
    }

    // SQLite's own integrity check first (a damaged file cannot be read as a chain), then the same walk VerifyAuditLog makes.
    private static async Task<string?> FirstProblemAsync(AdminContext admin, CancellationToken ct)
    {
        if (await Maintenance.FirstIntegrityProblemAsync(admin.Database, ct).ConfigureAwait(false) is { } damage)
            return damage;
        return (await AuditChain.VerifyAsync(admin.Database, ct).ConfigureAwait(false)).Detail;
    }
}
