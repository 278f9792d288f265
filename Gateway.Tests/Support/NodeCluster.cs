using System.Security.Cryptography;
using Npgsql;

namespace Gateway.Tests.Support;

/// <summary>
/// Three gateway processes on one PostgreSQL database, as issue 18 runs them: each listens on its own port
/// (127.0.0.1:0, the bound port read from its log), all share one master key, and each has a data folder of its own
/// (with PostgreSQL it is only where <c>gateway.key</c> would be created, and the key comes from the settings). A node
/// can be killed with SIGKILL and started again on the same folder; it then listens on a new port.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    /// <summary>How many nodes <see cref="StartAsync"/> starts.</summary>
    public const int Size = 3;

    /// <summary>How long a killed process may take to be reaped, and a node to start listening, before the test fails.</summary>
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(15);

    // Every client of these tests comes from 127.0.0.1 and many log in as one user on several nodes, reconnecting
    // after each kill: the per-address and per-user limits would refuse them for reasons that are not the test's. The
    // revocation test's sockets call as fast as refusals come back, past the per-socket rate (an answer 101, not 20).
    private static readonly string[] LiftedLimits =
    [
        "--Gateway:Limits:FailedLoginsPerAddressPerMinute=1000000", "--Gateway:Limits:MaxSocketsPerUser=1000000",
        "--Gateway:Limits:LoginsPerAddressPerMinute=1000000", "--Gateway:Limits:LoginsPerUserPerMinute=1000000",
        "--Gateway:Limits:MaxSessionsPerUser=1000000", "--Gateway:Limits:RequestsPerSecond=1000000",
        "--Gateway:Limits:RequestBurst=1000000",
    ];

    private readonly HostProcess?[] _nodes = new HostProcess?[Size];
    private readonly DirectoryInfo[] _folders;
    private readonly string[] _settings;
    private readonly Lock _gate = new();
    private readonly List<TimeSpan> _startTimes = [];
    private readonly List<Task> _starts = [];
    private bool _disposed;

    private NodeCluster(string connectionString, string masterKey, DirectoryInfo[] folders, string[] settings)
    {
        ConnectionString = connectionString;
        MasterKey = masterKey;
        _folders = folders;
        _settings = settings;
    }

    /// <summary>Why the cluster tests cannot run here, or null when they can: a test calls <c>Assert.Ignore</c> with it.</summary>
    public static string? SkipReason =>
        PostgresCluster.BinariesFolder is null ? "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: the cluster tests need a local server" : null;

    /// <summary>The Npgsql connection string of the database every node uses, for a test that checks it directly.</summary>
    public string ConnectionString { get; }

    /// <summary>The base64 master key every node is given.</summary>
    public string MasterKey { get; }

    /// <summary>How long each start took, from launching the process to its listening line, in the order they finished.</summary>
    public IReadOnlyList<TimeSpan> StartTimes
    {
        get
        {
            lock (_gate)
                return [.. _startTimes];
        }
    }

    /// <summary>How many nodes were killed with <see cref="KillAsync"/> so far.</summary>
    public int Kills { get; private set; }

    /// <summary>
    /// Creates a fresh database on <see cref="PostgresCluster.Shared"/> and starts the three nodes on it;
    /// <paramref name="settings"/> are extra <c>--Key=Value</c> arguments given to every node.
    /// </summary>
    public static async Task<NodeCluster> StartAsync(params string[] settings)
    {
        var connectionString = await PostgresCluster.Shared.CreateDatabaseAsync();
        var folders = Enumerable.Range(0, Size).Select(i => Directory.CreateTempSubdirectory($"gateway-node{i}-")).ToArray();
        var cluster = new NodeCluster(connectionString, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), folders, settings);
        try
        {
            // The first node migrates the empty database and creates the admin user alone; the other two then find
            // the schema in place, so the test does not depend on how concurrent first starts are serialized.
            await cluster.RestartAsync(0);
            await Task.WhenAll(cluster.RestartAsync(1), cluster.RestartAsync(2));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The WebSocket address of node <paramref name="node"/>; throws when it is not running.</summary>
    public Uri WsUri(int node) => Node(node).WsUri;

    /// <summary>The HTTP address of node <paramref name="node"/>; throws when it is not running.</summary>
    public Uri HttpUri(int node) => Node(node).HttpUri;

    /// <summary>True while node <paramref name="node"/> has a listening process that was not killed.</summary>
    public bool IsAlive(int node)
    {
        lock (_gate)
            return _nodes[node] is not null;
    }

    /// <summary>The WebSocket addresses of the nodes running now, by node number.</summary>
    public IReadOnlyList<(int Node, Uri Uri)> Living()
    {
        lock (_gate)
            return _nodes.Select((host, i) => (i, host)).Where(n => n.host is not null).Select(n => (n.i, n.host!.WsUri)).ToList();
    }

    /// <summary>What node <paramref name="node"/> printed so far (empty when it is not running), for a failure message.</summary>
    public string Output(int node)
    {
        lock (_gate)
            return _nodes[node]?.Output ?? "";
    }

    /// <summary>Sends SIGKILL to node <paramref name="node"/> and waits until the process is gone.</summary>
    public async Task KillAsync(int node)
    {
        HostProcess host;
        lock (_gate)
        {
            host = _nodes[node] ?? throw new InvalidOperationException($"node {node} is not running");
            _nodes[node] = null;
            Kills++;
        }
        host.Signal(HostProcess.SigKill);
        await host.WaitForExitAsync(ExitDeadline);
        await host.DisposeAsync();
    }

    /// <summary>
    /// Starts node <paramref name="node"/> (again) on its data folder and waits until it listens; a node still running
    /// is killed first. The new process listens on a new port: read <see cref="WsUri"/> afterwards.
    /// </summary>
    public Task RestartAsync(int node)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var start = StartNodeAsync(node);
            _starts.Add(start);
            return start;
        }
    }

    private async Task StartNodeAsync(int node)
    {
        // Off the caller's lock before anything runs: the kill below takes it again.
        await Task.Yield();
        if (IsAlive(node))
            await KillAsync(node);
        var folder = _folders[node].FullName;
        string[] args =
        [
            "--Gateway:Database:Provider=Postgres",
            $"--Gateway:Database:ConnectionString={ConnectionString}",
            $"--Gateway:Security:MasterKey={MasterKey}",
            $"--Gateway:DatabasePath={Path.Combine(folder, "gateway.db")}",
            .. LiftedLimits,
            .. _settings,
        ];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var host = await HostProcess.StartAsync(folder, new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword }, args);
        bool late;
        lock (_gate)
        {
            // A start that finishes after the cluster was disposed (its test failed with the start in flight) must not leave a process behind.
            late = _disposed;
            if (!late)
            {
                _nodes[node] = host;
                _startTimes.Add(clock.Elapsed);
            }
        }
        if (late)
            await host.DisposeAsync();
    }

    /// <summary>Kills every node, drops the database and deletes the data folders.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] starts;
        lock (_gate)
        {
            _disposed = true;
            starts = [.. _starts];
        }
        try
        {
            // Their processes are killed either way; a start's own failure was reported to whoever awaited it.
            await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or ObjectDisposedException)
        {
        }
        HostProcess[] running;
        lock (_gate)
        {
            running = _nodes.OfType<HostProcess>().ToArray();
            Array.Clear(_nodes);
        }
        foreach (var host in running)
            await host.DisposeAsync();
        await PostgresCluster.Shared.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(ConnectionString).Database!);
        foreach (var folder in _folders)
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }

    private HostProcess Node(int node)
    {
        lock (_gate)
            return _nodes[node] ?? throw new InvalidOperationException($"node {node} is not running");
    }
}
