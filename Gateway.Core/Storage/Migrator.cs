using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>
/// Applies the numbered <c>.sql</c> migrations embedded in this assembly, each followed by its code step if it has one;
/// the version lives in <c>PRAGMA user_version</c>.
/// </summary>
public static class Migrator
{
    /// <summary>The migrations in order, as (version, script).</summary>
    public static IReadOnlyList<(int Version, string Script)> Migrations { get; } = Load();

    // Work a script cannot do (SQLite has no Unicode normalization), run after the version's script in its transaction.
    private static readonly Dictionary<int, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>> CodeSteps = new()
    {
        [4] = UserStore.FillNameKeysAsync,
    };

    /// <summary>Applies every migration newer than the database's version, each in its own transaction.</summary>
    public static async Task<int> MigrateAsync(SqliteConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var current = await connection.ExecuteScalarAsync<int>(new CommandDefinition("PRAGMA user_version", cancellationToken: ct)).ConfigureAwait(false);
        foreach (var (version, script) in Migrations.Where(m => m.Version > current))
        {
            await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(script, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            if (CodeSteps.TryGetValue(version, out var step))
                await step(connection, tx, ct).ConfigureAwait(false);
            // user_version is part of the database header, so it commits or rolls back with the migration.
            await connection.ExecuteAsync(new CommandDefinition($"PRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)}", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            current = version;
        }
        return current;
    }

    private static List<(int, string)> Load()
    {
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<(int, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Migrations.", StringComparison.Ordinal)))
        {
            var file = name["Migrations.".Length..];
            var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            migrations.Add((version, reader.ReadToEnd()));
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
