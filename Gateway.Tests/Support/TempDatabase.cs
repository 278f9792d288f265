using Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Support;

/// <summary>
/// A database file in a fresh temporary folder for the storage tests, with the writer the gateway would open on it;
/// disposing clears SQLite's pool for the file and deletes the folder.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    private readonly DirectoryInfo _dir;

    /// <summary>Makes the folder <c>gateway-<paramref name="name"/>-*</c>; the file is created by the first open.</summary>
    public TempDatabase(string name)
    {
        _dir = Directory.CreateTempSubdirectory($"gateway-{name}-");
        Database = new Database(Path.Combine(_dir.FullName, "gateway.db"));
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
        SqliteConnection.ClearPool(new SqliteConnection(Database.ConnectionString));
        _dir.Delete(recursive: true);
    }
}
