using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>The read cache on a real writer: a value is reused until the next commit, and never after it.</summary>
[TestFixture]
public sealed class ReadCacheTests
{
    private TempDatabase _temp = null!;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempDatabase("cache");
    }

    [TearDown]
    public void DeleteFolder()
    {
        _temp.Dispose();
    }

    private Task<DbWriter> OpenWriterAsync() => _temp.OpenWriterAsync();

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
