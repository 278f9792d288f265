using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>Where the SQLite file is and how to open it: pooled connections for reads, one connection for the writer.</summary>
public sealed class Database
{
    /// <summary>Owner read and write only: what the database, its WAL and SHM files (SQLite gives them the database's mode) and the key are created with.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Opens the database at <paramref name="path"/> (created when missing, owner-only).</summary>
    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        CreateOwnerOnly(Path);
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

    // Users' password hashes, emails and the audit log live here: the folder and the file are created owner-only,
    // never made and then narrowed, so there is no moment another user could open them. An existing file is left as it is.
    private static void CreateOwnerOnly(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }
        if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
        if (File.Exists(path))
            return;
        try
        {
            // An empty file is an empty SQLite database; SQLite then creates -wal and -shm with this file's mode.
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first; it is that process's to have made owner-only.
        }
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The connection string every connection uses.</summary>
    public string ConnectionString { get; }

    private const string ProbeSql = "SELECT count(*) FROM users";

    /// <summary>True when a pooled connection opens and answers a query on the migrated schema; false on a SQLite error.</summary>
    public async Task<bool> AnswersAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await OpenAsync(ct).ConfigureAwait(false);
            return await db.ExecuteScalarAsync<int>(new CommandDefinition(ProbeSql, cancellationToken: ct)).ConfigureAwait(false) >= 0;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

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
