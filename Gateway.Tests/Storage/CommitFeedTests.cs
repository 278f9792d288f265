using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Storage;

/// <summary>The writer announces exactly the audit rows each commit kept, once, in Id order; rolled-back rows never.</summary>
[TestFixture]
#pragma warning disable CA1001 // The writer is opened in SetUp and disposed in TearDown, per test.
public sealed class CommitFeedTests
#pragma warning restore CA1001
{
    private DirectoryInfo _dir = null!;
    private Database _database = null!;
    private DbWriter _writer = null!;
    private readonly List<List<AuditLog.AuditRow>> _announced = [];

    [SetUp]
    public async Task Open()
    {
        _announced.Clear();
        _dir = Directory.CreateTempSubdirectory("gateway-feed-");
        _database = new Database(Path.Combine(_dir.FullName, "gateway.db"));
        var feed = new CommitFeed();
        feed.Listen(rows => _announced.Add([.. rows]));
        _writer = new DbWriter(_database, new AuditLog(TimeProvider.System, _database), TimeProvider.System, TestMetrics.Create(), NullLogger<DbWriter>.Instance, feed);
        await _writer.OpenAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task Close()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(_database.ConnectionString));
        _dir.Delete(recursive: true);
    }

    private static AuditEntry Entry(string function) => new(1, null, function, "{}"u8.ToArray());

    private static Task Write(WriteTransaction tx) => tx.ExecuteAsync("INSERT INTO accounts (AccountName, AccountHandle) VALUES (hex(randomblob(8)), NULL)");

    [Test]
    public async Task WriteAsync_OneAuditedWrite_AnnouncedOnceAfterItsCommit()
    {
        await _writer.WriteAsync(Entry("First"), Write, CancellationToken.None);

        Assert.That(_announced, Has.Count.EqualTo(1));
        Assert.That(_announced[0].Select(r => (r.Id, r.Function)), Is.EqualTo(new[] { (1L, "First") }));
    }

    [Test]
    public async Task Unit_MiddleWriteFails_AnnouncesTheOtherTwoWithTheReusedId()
    {
        await _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            await _writer.WriteAsync(Entry("Kept1"), Write, CancellationToken.None);
            try
            {
                await _writer.WriteAsync(Entry("Undone"), async tx =>
                {
                    await Write(tx);
                    throw new InvalidOperationException("refused");
                }, CancellationToken.None);
                Assert.Fail("the failing write did not throw");
            }
            catch (InvalidOperationException)
            {
                // Undone alone, in its savepoint; the unit goes on.
            }
            await _writer.WriteAsync(Entry("Kept2"), Write, CancellationToken.None);
            return true;
        }, CancellationToken.None);

        Assert.That(_announced, Has.Count.EqualTo(1));
        Assert.That(_announced[0].Select(r => (r.Id, r.Function)), Is.EqualTo(new[] { (1L, "Kept1"), (2L, "Kept2") }));
    }

    [Test]
    public async Task Unit_DryRun_AnnouncesNothing()
    {
        await _writer.RunUnitAsync(rollBack: true, async _ =>
        {
            await _writer.WriteAsync(Entry("Dry"), Write, CancellationToken.None);
            return true;
        }, CancellationToken.None);
        await _writer.WriteAsync(Entry("Real"), Write, CancellationToken.None);

        Assert.That(_announced.SelectMany(rows => rows).Select(r => (r.Id, r.Function)), Is.EqualTo(new[] { (1L, "Real") }));
    }
}
