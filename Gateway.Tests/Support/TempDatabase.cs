using Gateway.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;
#if POSTGRES
using Npgsql;
#else
using Microsoft.Data.Sqlite;
#endif

namespace Gateway.Tests.Support;

/// <summary>
/// A database file in a fresh temporary folder for the storage tests, with the writer the gateway would open on it;
/// disposing clears SQLite's pool for the file and deletes the folder. In the Postgres build the database is instead
/// a fresh one on the shared cluster (the folder is still made, for tests that keep files beside it), dropped on dispose.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    private readonly DirectoryInfo _dir;

    /// <summary>Makes the folder <c>gateway-<paramref name="name"/>-*</c>; the file is created by the first open.</summary>
    public TempDatabase(string name)
    {
        _dir = Directory.CreateTempSubdirectory($"gateway-{name}-");
#if POSTGRES
        Database = Gateway.Core.Storage.Database.Postgres(TestProvider.ConnectionString(_dir), Path.Combine(_dir.FullName, "gateway.db"));
#else
        Database = new Database(Path.Combine(_dir.FullName, "gateway.db"));
#endif
    }

    /// <summary>The database in the folder.</summary>
    public Database Database { get; }

    /// <summary>A writer on <paramref name="database"/> as the host builds it, not yet open.</summary>
    public static DbWriter NewWriter(Database database) =>
        new(database, new AuditLog(TimeProvider.System, database), TimeProvider.System, TestMetrics.Create(), NullLogger<DbWriter>.Instance);

    /// <summary>A writer opened on <paramref name="database"/> (created and migrated); disposed again if opening fails.</summary>
    public static async Task<DbWriter> OpenWriterAsync(Database database)
    {
        var writer = NewWriter(database);
        try
        {
            await writer.OpenAsync(CancellationToken.None);
            return writer;
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    /// <summary>A writer opened on this database.</summary>
    public Task<DbWriter> OpenWriterAsync() => OpenWriterAsync(Database);

    /// <inheritdoc />
    public void Dispose()
    {
#if POSTGRES
        // The drop closes what the pool still holds on the server; clearing it first spares the next test a broken connection.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Database.ConnectionString));
        TestProvider.ReleaseAsync(_dir).GetAwaiter().GetResult();
#else
        SqliteConnection.ClearPool(new SqliteConnection(Database.ConnectionString));
#endif
        _dir.Delete(recursive: true);
    }
}
