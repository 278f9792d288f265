using System.Data.Common;
using Dapper;

namespace Gateway.Core.Storage;

/// <summary>
/// Where the data is and how to open it: pooled connections for reads, one connection for the writer. SQLite (a file,
/// the default) or PostgreSQL (<see cref="Postgres"/>); what differs between them is in <see cref="Dialect"/>.
/// </summary>
public sealed class Database
{
    /// <summary>Owner read and write only: what the database, its WAL and SHM files (SQLite gives them the database's mode) and the key are created with.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The SQLite database at <paramref name="path"/>; nothing is created until <see cref="EnsureCreated"/> (the writer's open).</summary>
    public Database(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var sqlite = new SqliteDialect(Path);
        Dialect = sqlite;
        ConnectionString = sqlite.ConnectionString;
    }

    private Database(string dataPath, Dialect dialect, string connectionString)
    {
        Path = System.IO.Path.GetFullPath(dataPath);
        Dialect = dialect;
        ConnectionString = connectionString;
    }

    /// <summary>
    /// The PostgreSQL database of <paramref name="connectionString"/> (Npgsql syntax). <paramref name="dataPath"/> is
    /// where the SQLite file would be: its folder holds this node's key file, as with SQLite.
    /// </summary>
    public static Database Postgres(string connectionString, string dataPath) =>
        new(dataPath, new PostgresDialect(connectionString), connectionString);

    /// <summary>The engine.</summary>
    public DatabaseProvider Provider => Dialect.Provider;

    /// <summary>What differs between the engines.</summary>
    public Dialect Dialect { get; }

    /// <summary>Where the data is, for log lines and messages: the SQLite file, or PostgreSQL's host, port and database.</summary>
    public string Describe => Dialect.Describe;

    /// <summary>
    /// Creates the folder and the file when missing. Users' password hashes, emails and the audit log live here: both
    /// are created owner-only, never made and then narrowed, so there is no moment another user could open them. An
    /// existing file is left as it is.
    /// </summary>
    public void EnsureCreated()
    {
        if (Provider != DatabaseProvider.Sqlite)
            return;
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

    /// <summary>Creates, owner-only, the folder of <see cref="Path"/> when missing: with PostgreSQL it holds only the key file.</summary>
    public void EnsureDataFolder() => CreateFolder(System.IO.Path.GetDirectoryName(Path)!);

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

    /// <summary>The absolute path of the SQLite file (with PostgreSQL, of where it would be: its folder holds the key file).</summary>
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
            if (await db.ExecuteScalarAsync<long>(new CommandDefinition(ProbeSql, cancellationToken: ct)).ConfigureAwait(false) < 0)
                return DatabaseState.Unreachable;
            // The write lock waits up to the busy timeout; the rollback writes nothing.
            await using var probe = await Dialect.BeginWriteAsync(db, ct).ConfigureAwait(false);
            await probe.RollbackAsync(ct).ConfigureAwait(false);
            return DatabaseState.Ok;
        }
        catch (Exception e) when (Dialect.IsBusy(e))
        {
            return DatabaseState.Busy;
        }
        catch (Exception e) when (Dialect.IsEngineError(e) || e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return DatabaseState.Unreachable;
        }
    }

    /// <summary>Opens a pooled connection for reading.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = Dialect.NewConnection();
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

    /// <summary>Opens a pooled connection for a short synchronous read (on the writer's thread, say).</summary>
    public DbConnection Open()
    {
        var connection = Dialect.NewConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a pooled connection with a read snapshot on it: every statement of <paramref name="work"/> sees one committed state.</summary>
    public async Task<T> ReadSnapshotAsync<T>(Func<WriteTransaction, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var db = await OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await Dialect.BeginSnapshotAsync(db, ct).ConfigureAwait(false);
        using var reader = new WriteTransaction(db, tx, ct);
        return await work(reader).ConfigureAwait(false);
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
