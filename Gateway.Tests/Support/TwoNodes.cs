using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Tests.Support;

/// <summary>
/// Two in-process gateway hosts on one fresh PostgreSQL database, sharing a master key (the nodes derive API secrets
/// and TOTP seeds from it, so they must share it); disposing stops both and drops the database.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private TwoNodes(TestHost a, TestHost b, string connectionString, string[] settings)
    {
        (A, B, ConnectionString, Settings) = (a, b, connectionString, settings);
    }

    /// <summary>Node A.</summary>
    public TestHost A { get; }

    /// <summary>Node B.</summary>
    public TestHost B { get; }

    /// <summary>The database both nodes use.</summary>
    public string ConnectionString { get; }

    /// <summary>The settings both nodes started with, for a third node on the same database.</summary>
    public string[] Settings { get; }

    /// <summary>
    /// Starts A and B with <paramref name="extra"/> settings and <paramref name="configureServices"/> (a shared clock,
    /// say); skips the calling fixture, with the reason, where no PostgreSQL server binaries are installed.
    /// </summary>
    public static async Task<TwoNodes> StartAsync(Action<IServiceCollection>? configureServices, params string[] extra)
    {
        if (PostgresCluster.BinariesFolder is null)
            Assert.Ignore("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
        var connectionString = await PostgresCluster.Shared.CreateDatabaseAsync();
        string[] settings =
        [
            "--Gateway:Database:Provider=Postgres", $"--Gateway:Database:ConnectionString={connectionString}",
            $"--Gateway:Security:MasterKey={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}", .. extra,
        ];
        TestHost? a = null;
        try
        {
            a = await TestHost.StartAsync(configureServices, settings);
            var b = await TestHost.StartAsync(configureServices, settings);
            return new TwoNodes(a, b, connectionString, settings);
        }
        catch
        {
            if (a is not null)
                await a.DisposeAsync();
            await DropAsync(connectionString);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        await DropAsync(ConnectionString);
    }

    private static Task DropAsync(string connectionString) =>
        PostgresCluster.Shared.DropDatabaseAsync(new NpgsqlConnectionStringBuilder(connectionString).Database!);
}
