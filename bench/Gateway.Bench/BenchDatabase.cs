using System.Security.Cryptography;
using Gateway.Tests.Support;

namespace Gateway.Bench;

/// <summary>
/// The database the gateways under test run on: SQLite (a fresh file per gateway process, the default), or one
/// throwaway PostgreSQL cluster for the whole bench with a fresh database per run, shared by that run's nodes.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly PostgresCluster? _cluster;

    private BenchDatabase(PostgresCluster? cluster, string describe)
    {
        _cluster = cluster;
        Describe = describe;
    }

    /// <summary>The provider and its durability, for the report header.</summary>
    public string Describe { get; }

    public static async Task<BenchDatabase> StartAsync(string provider)
    {
        if (provider == "sqlite")
            return new BenchDatabase(null, "sqlite (the gateway's appsettings.json: WAL, synchronous=FULL), a fresh file per gateway process");
        // Durable: the bench measures commits that wait for their WAL flush, as production's do.
        var cluster = await PostgresCluster.StartAsync(durable: true);
        try
        {
            var describe = $"postgres {await cluster.ShowAsync("server_version")} (a throwaway cluster in {cluster.Folder}), " +
                $"fsync={await cluster.ShowAsync("fsync")}, synchronous_commit={await cluster.ShowAsync("synchronous_commit")}, " +
                $"full_page_writes={await cluster.ShowAsync("full_page_writes")}, a fresh database per run";
            return new BenchDatabase(cluster, describe);
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The gateway settings of one run's database: none for SQLite (each process makes its own file); for PostgreSQL a
    /// new database and one master key for all the run's nodes, since a session or API secret made by one must hold on the other.
    /// </summary>
    public async Task<string[]> NewRunSettingsAsync()
    {
        if (_cluster is null)
            return [];
        var connectionString = await _cluster.CreateDatabaseAsync();
        return
        [
            "Gateway:Database:Provider=Postgres",
            $"Gateway:Database:ConnectionString={connectionString}",
            $"Gateway:Security:MasterKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}",
        ];
    }

    public ValueTask DisposeAsync()
    {
        _cluster?.Dispose();
        return ValueTask.CompletedTask;
    }
}
