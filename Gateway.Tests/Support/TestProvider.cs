namespace Gateway.Tests.Support;

/// <summary>
/// The storage provider this build of the suite runs on: SQLite in Gateway.Tests, PostgreSQL in
/// Gateway.Tests.Postgres (which compiles the same sources with <c>POSTGRES</c> defined). Hosts get the provider's
/// settings from here, so a test written once runs on both.
/// </summary>
public static class TestProvider
{
    /// <summary>The file in a host's data folder that remembers its PostgreSQL database, so a restart on the folder finds the same data.</summary>
    public const string ConnectionFile = "postgres-connection.txt";

    private static readonly Lock FileLock = new();

    /// <summary>True in the Postgres build of the suite.</summary>
    public static bool IsPostgres =>
#if POSTGRES
        true;
#else
        false;
#endif

    /// <summary>The provider's name as the suite reports it: <c>SQLite</c> or <c>PostgreSQL</c>.</summary>
    public static string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>
    /// The <c>--Key=Value</c> arguments that put a host whose data lives in <paramref name="dataDir"/> on this provider:
    /// none for SQLite (the host's database path already says it all); for PostgreSQL the provider and the connection
    /// string of the folder's own database, created on the shared cluster the first time the folder is used.
    /// </summary>
    public static string[] Settings(DirectoryInfo dataDir) =>
        IsPostgres
            ? ["--Gateway:Database:Provider=Postgres", $"--Gateway:Database:ConnectionString={ConnectionString(dataDir)}"]
            : [];

    /// <summary>
    /// The settings for a gateway process started in <paramref name="workingDirectory"/> with <paramref name="args"/>:
    /// none when the arguments name a provider themselves; else those of the folder the process keeps its data in,
    /// which is the folder of its <c>--Gateway:DatabasePath</c> when it has one.
    /// </summary>
    public static string[] SettingsFor(string workingDirectory, IReadOnlyCollection<string> args)
    {
        if (!IsPostgres || args.Any(a => a.StartsWith("--Gateway:Database:Provider", StringComparison.OrdinalIgnoreCase)))
            return [];
        var path = args.LastOrDefault(a => a.StartsWith("--Gateway:DatabasePath=", StringComparison.OrdinalIgnoreCase))?.Split('=', 2)[1];
        var folder = path is null ? workingDirectory : Path.GetDirectoryName(Path.GetFullPath(path, workingDirectory))!;
        // A process run in a folder every test shares (the system temp folder, for a misused command) gets a database
        // of its own and no file: one left there would point a later run at a cluster long gone.
        if (Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) == Path.TrimEndingDirectorySeparator(Path.GetTempPath()))
            return ["--Gateway:Database:Provider=Postgres",
                $"--Gateway:Database:ConnectionString={PostgresCluster.Shared.CreateDatabaseAsync().GetAwaiter().GetResult()}"];
        return Settings(new DirectoryInfo(folder));
    }

    /// <summary>
    /// The PostgreSQL connection string of <paramref name="dataDir"/>'s database: read from <see cref="ConnectionFile"/>
    /// when the folder has one, else a fresh database on <see cref="PostgresCluster.Shared"/>, written there.
    /// </summary>
    public static string ConnectionString(DirectoryInfo dataDir)
    {
        var file = Path.Combine(dataDir.FullName, ConnectionFile);
        lock (FileLock)
        {
            if (File.Exists(file))
                return File.ReadAllText(file).Trim();
            // Hosts start from synchronous helpers too; NUnit runs no synchronization context, so waiting here cannot deadlock.
            var connectionString = PostgresCluster.Shared.CreateDatabaseAsync().GetAwaiter().GetResult();
            Directory.CreateDirectory(dataDir.FullName);
            File.WriteAllText(file, connectionString);
            return connectionString;
        }
    }

    /// <summary>
    /// Drops <paramref name="dataDir"/>'s PostgreSQL database, if it has one, before the folder is deleted: a run starts
    /// hundreds of hosts, and the cluster's disk would otherwise keep every one of their databases until the run ends.
    /// </summary>
    public static async Task ReleaseAsync(DirectoryInfo dataDir)
    {
        var file = Path.Combine(dataDir.FullName, ConnectionFile);
        if (!IsPostgres || !File.Exists(file))
            return;
        var database = new Npgsql.NpgsqlConnectionStringBuilder(await File.ReadAllTextAsync(file)).Database;
        if (database is not null)
            await PostgresCluster.Shared.DropDatabaseAsync(database);
    }

    /// <summary>
    /// How the gateway names the database of <paramref name="databasePath"/> in its messages: the path on SQLite,
    /// <c>postgres://host:port/database</c> for the folder's PostgreSQL database.
    /// </summary>
    public static string Describe(string databasePath)
    {
        if (!IsPostgres)
            return databasePath;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString(new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(databasePath))!)));
        return $"postgres://{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
