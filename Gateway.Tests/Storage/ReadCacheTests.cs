using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Storage;

/// <summary>The read cache on a real writer: a value is reused until the next commit, and never after it.</summary>
[TestFixture]
public sealed class ReadCacheTests
{
    private DirectoryInfo _dir = null!;
    private Database _database = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("gateway-cache-");
        _database = new Database(Path.Combine(_dir.FullName, "gateway.db"));
    }

    [TearDown]
    public void DeleteFolder()
    {
        SqliteConnection.ClearPool(new SqliteConnection(_database.ConnectionString));
        _dir.Delete(recursive: true);
    }

    private async Task<DbWriter> OpenWriterAsync()
    {
        var writer = new DbWriter(_database, new AuditLog(TimeProvider.System, _database), TimeProvider.System, TestMetrics.Create(), NullLogger<DbWriter>.Instance);
        await writer.OpenAsync(CancellationToken.None);
        return writer;
    }

    [Test]
    public async Task GetAsync_NoCommitBetween_LoadsOnce()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        var loads = 0;

        for (var i = 0; i < 3; i++)
            Assert.That(await cache.GetAsync("k", "1", _ => Task.FromResult(++loads), CancellationToken.None), Is.EqualTo(1));

        Assert.That(loads, Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_AfterACommit_LoadsAgain()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        var loads = 0;
        await cache.GetAsync("k", "1", _ => Task.FromResult(++loads), CancellationToken.None);

        await writer.WriteUnauditedAsync(tx => tx.ExecuteAsync("INSERT INTO accounts (AccountName) VALUES ('x')"), CancellationToken.None);

        Assert.That(await cache.GetAsync("k", "1", _ => Task.FromResult(++loads), CancellationToken.None), Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_CommitDuringLoad_DoesNotKeepTheOldValue()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        var loads = 0;

        await cache.GetAsync("k", "1", async ct =>
        {
            loads++;
            await writer.WriteUnauditedAsync(tx => tx.ExecuteAsync("INSERT INTO accounts (AccountName) VALUES ('y')"), ct);
            return loads;
        }, CancellationToken.None);

        Assert.That(await cache.GetAsync("k", "1", _ => Task.FromResult(++loads), CancellationToken.None), Is.EqualTo(2));
    }
}
