using Gateway.Core.Storage;

namespace Gateway.Admin;

/// <summary><c>admin migrate</c>: applies pending migrations (opening the database does) and exits.</summary>
internal sealed class MigrateCommand : AdminCommand
{
    public override string Name => "migrate";

    public override string Summary => "applies pending migrations and exits";

    public override async Task<string> RunAsync(AdminContext admin, string? operand, CancellationToken ct)
    {
        var from = admin.VersionAtOpen;
        await admin.Writer.WriteAsync(admin.Audit(("From", $"{from}"), ("To", $"{Migrator.Latest}")), tx =>
        {
            tx.Change = from == Migrator.Latest ? $"schema version {from}, nothing to apply" : $"schema version {from} to {Migrator.Latest}";
            return Task.CompletedTask;
        }, ct).ConfigureAwait(false);
        return from == Migrator.Latest
            ? $"{admin.Database.Describe} is at schema version {from}; nothing to apply."
            : $"Migrated {admin.Database.Describe} from schema version {from} to {Migrator.Latest}.";
    }
}
