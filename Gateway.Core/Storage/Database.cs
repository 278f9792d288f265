using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>Where the SQLite file is and how to open it: pooled connections for reads, one connection for the writer.</summary>
public sealed class Database
{
    /// <summary>Owner read and write only: what the database, its WAL and SHM files (SQLite gives them the database's mode) and the key are created with.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The database at <paramref name="path"/>; nothing is created until <see cref="EnsureCreated"/> (the writer's open).</summary>
    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
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

    /// <summary>
    /// Creates the folder and the file when missing. Users' password hashes, emails and the audit log live here: both
    /// are created owner-only, never made and then narrowed, so there is no moment another user could open them. An
    /// existing file is left as it is.
    /// </summary>
    public void EnsureCreated()
    {
        var path = Path;
        CreateFolder(System.IO.Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows() || File.Exists(path))
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

    /// <summary>The absolute path of <c>Gateway:DatabasePath</c>: a relative <paramref name="path"/> is relative to <paramref name="contentRoot"/>.</summary>
    public static string Resolve(string path, string contentRoot) =>
        System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(contentRoot, path));

    /// <summary>Creates <paramref name="folder"/> (and any missing parents) owner-only when it does not exist.</summary>
    internal static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else if (!Directory.Exists(folder))
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
    }

    /// <summary>The absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The connection string every connection uses.</summary>
    public string ConnectionString { get; }

    private const string ProbeSql = "SELECT count(*) FROM users";

    /// <summary>
    /// Whether the database answers a query on the migrated schema and can take the write lock within the busy
    /// timeout: <see cref="DatabaseState.Busy"/> while another connection (another process, say) keeps it locked.
    /// </summary>
    public async Task<DatabaseState> ProbeAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await OpenAsync(ct).ConfigureAwait(false);
            if (await db.ExecuteScalarAsync<int>(new CommandDefinition(ProbeSql, cancellationToken: ct)).ConfigureAwait(false) < 0)
                return DatabaseState.Unreachable;
            // BEGIN IMMEDIATE waits for the write lock up to the connection's busy timeout; the rollback writes nothing.
            using var probe = db.BeginTransaction(deferred: false);
            probe.Rollback();
            return DatabaseState.Ok;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            return DatabaseState.Busy;
        }
        catch (SqliteException)
        {
            return DatabaseState.Unreachable;
        }
    }

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

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

/// <summary>What <see cref="Database.ProbeAsync"/> found.</summary>
public enum DatabaseState
{
    /// <summary>Answers queries and takes writes.</summary>
    Ok,

    /// <summary>Answers queries, but the write lock stayed taken for the whole busy timeout.</summary>
    Busy,

    /// <summary>A query failed.</summary>
    Unreachable,
}
