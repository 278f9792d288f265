using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>
/// Applies the numbered <c>.sql</c> migrations embedded in this assembly; the version lives in <c>PRAGMA user_version</c>.
/// A migration that needs more than SQL has a C# step, run after its script in the same transaction.
/// </summary>
public static class Migrator
{
    /// <summary>The migrations in order, as (version, name, script); the name is the file's without its number, e.g. <c>audit_chain</c>.</summary>
    public static IReadOnlyList<(int Version, string Name, string Script)> Migrations { get; } = Load();

    // Keyed by name, not number, so renumbering a migration file keeps its step.
    private static readonly Dictionary<string, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>> Steps = new(StringComparer.Ordinal)
    {
        ["user_name_keys"] = UserStore.FillNameKeysAsync, // SQLite has no Unicode normalization
        ["audit_chain"] = AuditChain.BackfillAsync,
    };

    /// <summary>Applies every migration newer than the database's version, each in its own transaction.</summary>
    public static async Task<int> MigrateAsync(SqliteConnection connection, CancellationToken ct)
    {
        var current = await VersionAsync(connection, ct).ConfigureAwait(false);
        foreach (var (version, name, script) in Migrations.Where(m => m.Version > current))
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(script, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            if (Steps.TryGetValue(name, out var step))
                await step(connection, tx, ct).ConfigureAwait(false);
            // user_version is part of the database header, so it commits or rolls back with the migration.
            await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)}", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            current = version;
        }
        return current;
    }

    /// <summary>The schema version of the database <paramref name="connection"/> is open on (0 for an empty one).</summary>
    public static Task<int> VersionAsync(SqliteConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: ct));
    }

    /// <summary>The version the last migration brings a database to.</summary>
    public static int Latest => Migrations.Count;

    private static List<(int, string, string)> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<(int, string, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var file = name["Migrations.".Length..];
            var separator = file.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(file[..separator], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            migrations.Add((version, Path.GetFileNameWithoutExtension(file[(separator + 1)..]), reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Item1 != i + 1)
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3... without gaps; found {migrations[i].Item1} at position {i + 1}.");
        }
        return migrations;
    }
}
