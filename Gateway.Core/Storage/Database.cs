using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>Where the SQLite file is and how to open it: pooled connections for reads, one connection for the writer.</summary>
public sealed class Database
{
    /// <summary>Opens the database at <paramref name="path"/> (created when missing).</summary>
    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        // Default Timeout bounds Microsoft.Data.Sqlite's own wait on a busy database to one second per attempt;
        // the writer's retry pipeline decides how long to keep trying overall.
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 1,
            ForeignKeys = true,
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The connection string every connection uses.</summary>
    public string ConnectionString { get; }

    /// <summary>Opens a pooled connection for reading.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
