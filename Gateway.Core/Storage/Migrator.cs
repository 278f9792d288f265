using System.Data.Common;
using System.Globalization;

namespace Gateway.Core.Storage;

/// <summary>
/// Applies the numbered <c>.sql</c> migrations embedded in this assembly: one numbered list, with a script per engine
/// for every number (<c>Migrations/Sqlite</c>, <c>Migrations/Postgres</c>, same numbers and names). The engine keeps the
/// version (<see cref="Dialect.VersionAsync"/>). A migration that needs more than SQL has a C# step, run after its
/// script in the same transaction.
/// </summary>
public static class Migrator
{
    private static readonly Dictionary<string, IReadOnlyList<(int Version, string Name, string Script)>> ByFolder = new(StringComparer.Ordinal)
    {
        ["Sqlite"] = Load("Sqlite"),
        ["Postgres"] = Load("Postgres"),
    };

    /// <summary>The SQLite migrations in order, as (version, name, script); the name is the file's without its number, e.g. <c>audit_chain</c>.</summary>
    public static IReadOnlyList<(int Version, string Name, string Script)> Migrations => ByFolder["Sqlite"];

    /// <summary>The migrations of <paramref name="dialect"/>'s engine, in order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Script)> For(Dialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return ByFolder[dialect.MigrationFolder];
    }

    // Keyed by name, not number, so renumbering a migration file keeps its step.
    private static readonly Dictionary<string, Func<DbConnection, DbTransaction, CancellationToken, Task>> Steps = new(StringComparer.Ordinal)
    {
        ["user_name_keys"] = UserStore.FillNameKeysAsync, // neither engine computes the key's Unicode normalization
        ["audit_chain"] = AuditChain.BackfillAsync,
    };

    /// <summary>
    /// Applies every migration newer than the database's version, each in its own transaction. The version is read
    /// again inside each migration's transaction, so nodes starting together on one PostgreSQL apply each script once.
    /// </summary>
    public static async Task<int> MigrateAsync(DbConnection connection, Dialect dialect, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        var migrations = For(dialect);
        while (true)
        {
            await using var tx = await dialect.BeginMigrationAsync(connection, ct).ConfigureAwait(false);
            var current = await dialect.VersionAsync(connection, tx, ct).ConfigureAwait(false);
            if (current >= migrations.Count)
            {
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return current;
            }
            var (version, name, script) = migrations[current];
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = tx;
                command.CommandText = script;
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            if (Steps.TryGetValue(name, out var step))
                await step(connection, tx, ct).ConfigureAwait(false);
            await dialect.SetVersionAsync(connection, tx, version, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>The schema version of the database <paramref name="connection"/> is open on (0 for an empty one).</summary>
    public static Task<int> VersionAsync(DbConnection connection, Dialect dialect, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.VersionAsync(connection, null, ct);
    }

    /// <summary>The version the last migration brings a database to.</summary>
    public static int Latest => Migrations.Count;

    private static List<(int, string, string)> Load(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Migrations.{folder}.";
        var migrations = new List<(int, string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var file = name[prefix.Length..];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..separator], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            migrations.Add((version, Path.GetFileNameWithoutExtension(file[(separator + 1)..]), reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Item1 != i + 1)
                throw new InvalidOperationException($"{folder} migrations must be numbered 1, 2, 3... without gaps; found {migrations[i].Item1} at position {i + 1}.");
        }
        return migrations;
    }
}
