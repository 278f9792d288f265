using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>
/// The read cache on a real writer: a value is reused until a commit marks what it depends on (its user, any account
/// for values holding accounts, anything for lookups by name), and never after such a commit.
/// </summary>
[TestFixture]
public sealed class ReadCacheTests
{
    private static readonly CacheKey UserOne = CacheKey.OfUser("k", 1);
    private static readonly CacheKey UserTwo = CacheKey.OfUser("k", 2);

    private TempDatabase _temp = null!;
    private int _loads;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempDatabase("cache");
        _loads = 0;
    }

    [TearDown]
    public void DeleteFolder()
    {
        _temp.Dispose();
    }

    private Task<DbWriter> OpenWriterAsync() => _temp.OpenWriterAsync();

    private ValueTask<int> GetAsync(ReadCache cache, CacheKey key) =>
        cache.GetAsync(key, this, static (self, _) => Task.FromResult(++self._loads), CancellationToken.None);

    // A write of the accounts table (no user's state) that marks what the test says, or nothing at all.
    private static Task<int> WriteAsync(DbWriter writer, Action<WriteTransaction> mark) =>
        writer.WriteUnauditedAsync(tx =>
        {
            mark(tx);
            return tx.ExecuteAsync("INSERT INTO accounts (AccountName) VALUES ('x')");
        }, CancellationToken.None);

    [Test]
    public async Task GetAsync_NoCommitBetween_LoadsOnce()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);

        for (var i = 0; i < 3; i++)
            Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1));

        Assert.That(_loads, Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_AfterACommitMarkingTheUser_LoadsAgain()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        await GetAsync(cache, UserOne);

        await WriteAsync(writer, tx => tx.MarkChanged(1));

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_AfterACommitMarkingAnotherUser_KeepsTheValue()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        await GetAsync(cache, UserOne);
        await GetAsync(cache, UserTwo);

        await WriteAsync(writer, tx => tx.MarkChanged(2));

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1), "user 1 was not marked");
        Assert.That(await GetAsync(cache, UserTwo), Is.EqualTo(3), "user 2 was");
    }

    [Test]
    public async Task GetAsync_AfterACommitThatMarkedNothing_LoadsEverythingAgain()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        await GetAsync(cache, UserOne);

        await WriteAsync(writer, _ => { });

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(2), "a write that says nothing of what it changed may have changed anything");
    }

    [Test]
    public async Task GetAsync_AfterAnUncachedWrite_KeepsUserValuesButNotNameLookups()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        var byName = CacheKey.OfAnyCommit("name", "alice");
        await GetAsync(cache, UserOne);
        await GetAsync(cache, byName);

        await WriteAsync(writer, tx => tx.MarkUncached());

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1));
        Assert.That(await GetAsync(cache, byName), Is.EqualTo(3), "which user a name belongs to may change with any commit");
    }

    [Test]
    public async Task GetAsync_AfterAnAccountChange_LoadsValuesHoldingAccountsAgain()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        var accountsOfOne = CacheKey.OfUser("accounts", 1, readsAccounts: true);
        await GetAsync(cache, UserOne);
        await GetAsync(cache, accountsOfOne);

        await WriteAsync(writer, tx => tx.MarkChanged(accountId: 9));

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1));
        Assert.That(await GetAsync(cache, accountsOfOne), Is.EqualTo(3));
    }

    [Test]
    public async Task GetAsync_AfterAFailedWrite_KeepsTheValue()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);
        await GetAsync(cache, UserOne);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteUnauditedAsync(_ => throw new InvalidOperationException("refused"), CancellationToken.None));
        await WriteAsync(writer, tx => tx.MarkChanged(2));

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1), "a write that failed changed nothing");
    }

    [Test]
    public async Task GetAsync_CommitMarkingTheUserDuringLoad_DoesNotKeepTheOldValue()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);

        await cache.GetAsync(UserOne, writer, async (w, ct) =>
        {
            _loads++;
            await WriteAsync(w, tx => tx.MarkChanged(1));
            return _loads;
        }, CancellationToken.None);

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(2));
    }

    [Test]
    public async Task GetAsync_LoadFails_TheNextCallLoadsAgain()
    {
        await using var writer = await OpenWriterAsync();
        var cache = new ReadCache(writer);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await cache.GetAsync<int, int>(UserOne, 0, static (_, _) => throw new InvalidOperationException("database gone"), CancellationToken.None));

        Assert.That(await GetAsync(cache, UserOne), Is.EqualTo(1));
    }
}
