using Gateway.Tests.Support;
using Npgsql;

namespace Gateway.Tests.Storage;

/// <summary>
/// The throwaway PostgreSQL cluster the Postgres half of the suite runs on: it starts, hands out separate databases,
/// drops them, and its server can create the ICU collation the migrations rely on. Skipped where no server is installed.
/// </summary>
[TestFixture]
public sealed class PostgresClusterTests
{
    [OneTimeSetUp]
    public void RequireBinaries()
    {
        if (PostgresCluster.BinariesFolder is null)
            Assert.Ignore("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin");
    }

    [Test]
    public async Task CreateDatabaseAsync_TwoDatabases_AreSeparateAndOneCanBeDropped()
    {
        var cluster = PostgresCluster.Shared;
        var first = await cluster.CreateDatabaseAsync();
        var second = await cluster.CreateDatabaseAsync();
        try
        {
            await ExecuteAsync(first, "CREATE TABLE marker (id int)");
            Assert.That(await ScalarAsync(first, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"), Is.EqualTo(1L));
            Assert.That(await ScalarAsync(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'marker'"), Is.EqualTo(0L));

            // Dropped with a connection still pooled on it: WITH (FORCE) closes it rather than failing.
            await cluster.DropDatabaseAsync(DatabaseOf(first));
            Assert.That(await ScalarAsync(second, $"SELECT count(*) FROM pg_database WHERE datname = '{DatabaseOf(first)}'"), Is.EqualTo(0L));
        }
        finally
        {
            await cluster.DropDatabaseAsync(DatabaseOf(first));
            await cluster.DropDatabaseAsync(DatabaseOf(second));
        }
    }

    [Test]
    public async Task IcuCollation_CaseInsensitive_CanBeCreated()
    {
        var cluster = PostgresCluster.Shared;
        var connection = await cluster.CreateDatabaseAsync();
        try
        {
            // The migrations compare user names without regard to case through this collation.
            await ExecuteAsync(connection, "CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
            Assert.That(await ScalarAsync(connection, "SELECT 'Admin' = 'ADMIN' COLLATE nocase"), Is.True);
        }
        finally
        {
            await cluster.DropDatabaseAsync(DatabaseOf(connection));
        }
    }

    [Test]
    public void Folder_WhileRunning_HoldsTheDataDirectoryAndLog()
    {
        var cluster = PostgresCluster.Shared;
        Assert.That(File.Exists(Path.Combine(cluster.Folder, "data", "postmaster.pid")), Is.True);
        Assert.That(File.Exists(cluster.LogFile), Is.True);
    }

    private static string DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
