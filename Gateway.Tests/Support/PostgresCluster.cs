using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Npgsql;

namespace Gateway.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL cluster for one test run: <c>initdb</c> in a fresh temp folder, a server on a free
/// 127.0.0.1 port with durability turned off (or on, for the bench: <see cref="StartAsync(bool)"/>), and empty databases on demand. It is stopped and its folder deleted on
/// <see cref="Dispose"/>, at process exit, and by a watchdog process when the test process is killed.
/// </summary>
public sealed partial class PostgresCluster : IDisposable
{
    /// <summary>The superuser <c>initdb</c> creates; every connection logs in as it (trust authentication).</summary>
    public const string SuperUser = "gateway";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private static readonly Lazy<PostgresCluster> SharedCluster = new(StartShared, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _binaries;
    private readonly string? _runAs;
    private readonly NpgsqlDataSource _admin;
    private readonly int _watchdog;
    private int _stopped;

    private PostgresCluster(string binaries, string? runAs, string folder, int port, int watchdog)
    {
        _binaries = binaries;
        _runAs = runAs;
        Folder = folder;
        Port = port;
        _watchdog = watchdog;
        _admin = NpgsqlDataSource.Create(ConnectionString("postgres", maxPoolSize: 2));
    }

    /// <summary>
    /// The server binaries (<c>initdb</c>, <c>pg_ctl</c>) of the highest PostgreSQL version under
    /// <c>/usr/lib/postgresql/*/bin</c>, or null when none is installed: callers skip with that reason.
    /// </summary>
    public static string? BinariesFolder { get; } = FindBinaries();

    /// <summary>The cluster the whole test process shares, started on first use (once, whichever thread asks) and stopped at process exit.</summary>
    public static PostgresCluster Shared => SharedCluster.Value;

    /// <summary>Stops <see cref="Shared"/> if it was started (and started well); a later use would find it stopped.</summary>
    public static void StopShared()
    {
        if (SharedCluster.IsValueCreated)
            SharedCluster.Value.Dispose();
    }

    /// <summary>The temp folder holding the data directory, the socket and <c>postgres.log</c>; deleted when the cluster stops.</summary>
    public string Folder { get; }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's log file, for a test that fails on something the server reported.</summary>
    public string LogFile => Path.Combine(Folder, "postgres.log");

    private string DataDirectory => Path.Combine(Folder, "data");

    /// <summary>
    /// Starts a new cluster; throws when no server binaries are installed or the server does not come up in time.
    /// <paramref name="durable"/> keeps the server's defaults fsync, synchronous_commit and full_page_writes on, as in
    /// production, so a commit waits for its WAL flush (the bench measures that); the tests' cluster turns them off.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(bool durable = false)
    {
        var binaries = BinariesFolder ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
        // PostgreSQL refuses to run as root, and CI runs as root: then the cluster belongs to an unprivileged user.
        var runAs = GetEffectiveUserId() == 0 ? UnprivilegedUser() : null;
        var folder = Directory.CreateTempSubdirectory("gateway-pg-").FullName;
        int? watchdog = null;
        try
        {
            if (runAs is not null)
                await RunAsync(["chown"], [runAs, folder]);
            // Armed before the server exists, so a test process killed during startup leaves nothing behind either.
            watchdog = StartWatchdog(binaries, runAs, folder);
            await RunAsync(Command(binaries, runAs, "initdb"),
                ["-D", Path.Combine(folder, "data"), "-A", "trust", "-U", SuperUser, "--encoding=UTF8", "--locale=C", "--no-sync"], folder);
            var port = await StartServerAsync(binaries, runAs, folder, durable);
            var cluster = new PostgresCluster(binaries, runAs, folder, port, watchdog.Value);
            await cluster.WaitUntilReadyAsync();
            return cluster;
        }
        catch
        {
            await StopServerAsync(binaries, runAs, folder);
            if (watchdog is { } pid)
                StopWatchdog(pid);
            DeleteFolder(folder);
            throw;
        }
    }

    /// <summary>The Npgsql connection string of <paramref name="database"/> on this cluster.</summary>
    public string ConnectionString(string database, int maxPoolSize = 20) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            Pooling = true,
            // The server allows 600 connections and a test run opens many pools at once: each stays small.
            MaxPoolSize = maxPoolSize,
        }.ConnectionString;

    /// <summary>
    /// Creates an empty database (named <paramref name="name"/>, or a fresh unique name) and returns its connection string.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"gw_{Guid.NewGuid():N}";
        await using var command = _admin.CreateCommand($"CREATE DATABASE {Quote(name)}");
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>The server's current value of <paramref name="setting"/> (<c>SHOW</c>), e.g. fsync or server_version.</summary>
    public async Task<string> ShowAsync(string setting)
    {
        await using var command = _admin.CreateCommand($"SHOW {Quote(setting)}");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Drops <paramref name="name"/> (if it exists), closing any connection still open on it.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server at once (no checkpoint: the data is throwaway) and deletes the folder.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        _admin.Dispose();
        StopServerAsync(_binaries, _runAs, Folder).GetAwaiter().GetResult();
        DeleteFolder(Folder);
        // Its work is done: it would otherwise wait for this process to end and then find nothing to stop.
        StopWatchdog(_watchdog);
    }

    private static PostgresCluster StartShared()
    {
        // A lazy start from whichever thread asks first; NUnit runs no synchronization context, so blocking is safe here.
        var cluster = StartAsync().GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    // Another process may take the port between our probe and the server's bind: a start that fails is retried on a new port.
    private static async Task<int> StartServerAsync(string binaries, string? runAs, string folder, bool durable)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            // pg_ctl hands these to the server through sh, hence the quoted socket folder. The tests' data is throwaway, so
            // durability is off unless the caller (the bench) asks for it.
            var options = $"-c listen_addresses=127.0.0.1 -p {port} -k '{folder}' -c max_connections=600" +
                (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            try
            {
                await RunAsync(Command(binaries, runAs, "pg_ctl"),
                    ["start", "-D", Path.Combine(folder, "data"), "-w", "-t", ((int)StartDeadline.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), "-l",
                        Path.Combine(folder, "postgres.log"), "-o", options], folder);
                return port;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    // pg_ctl -w already waited for the postmaster; this proves a real login works before any test relies on it.
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            try
            {
                await using var connection = await _admin.OpenConnectionAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static Task StopServerAsync(string binaries, string? runAs, string folder)
    {
        if (!File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
            return Task.CompletedTask;
        return RunAsync(Command(binaries, runAs, "pg_ctl"), ["stop", "-D", Path.Combine(folder, "data"), "-m", "immediate", "-w"], folder,
            throwOnFailure: false);
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Quote(string name) =>
        SafeName().IsMatch(name) ? $"\"{name}\"" : throw new ArgumentException($"not a plain database name: {name}", nameof(name));

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        return Directory.GetDirectories(root)
            .Select(d => (Folder: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(d => d.Version >= 0 && File.Exists(Path.Combine(d.Folder, "initdb")) && File.Exists(Path.Combine(d.Folder, "pg_ctl")))
            .OrderByDescending(d => d.Version)
            .Select(d => d.Folder)
            .FirstOrDefault();
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SafeName();
}
