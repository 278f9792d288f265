using System.Diagnostics;
using Dapper;
using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Polly.Timeout;

namespace Gateway.Tests.Storage;

/// <summary>The one writer on a real SQLite file: WAL at open, BUSY retried within its budget, and failing past it.</summary>
[TestFixture]
public sealed class DbWriterTests
{
    private const string InsertAccount = "INSERT INTO accounts (AccountName, AccountHandle) VALUES (@Name, @Name)";

    private TempDatabase _temp = null!;

    private Database _database => _temp.Database;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempDatabase("writer");
    }

    [TearDown]
    public void DeleteFolder()
    {
        _temp.Dispose();
    }

#if POSTGRES
    [Test]
    public async Task OpenAsync_EmptyDatabase_AppliesEveryPostgresScriptOfTheOneNumberedList()
    {
        await using var writer = await OpenWriterAsync();
        await using var other = await DatabaseProbe.OpenAsync(_database.Path);

        Assert.That(await other.ExecuteScalarAsync<long>("SELECT max(Version) FROM gateway_schema"), Is.EqualTo(Migrator.Migrations.Count));
        Assert.That(Migrator.For(_database.Dialect).Select(m => (m.Version, m.Name)), Is.EqualTo(Migrator.Migrations.Select(m => (m.Version, m.Name))),
            "every SQLite migration has a PostgreSQL script of the same number and name");
    }
#else
    [Test]
    public async Task OpenAsync_NewFile_LeavesTheDatabaseInWalMode()
    {
        await using var writer = await OpenWriterAsync();
        await using var other = await DatabaseProbe.OpenAsync(_database.Path);

        Assert.That(await other.ExecuteScalarAsync<string>("PRAGMA journal_mode"), Is.EqualTo("wal"));
        Assert.That(await other.ExecuteScalarAsync<int>("PRAGMA user_version"), Is.EqualTo(Migrator.Migrations.Count));
    }
#endif

    [Test]
    [CancelAfter(20_000)]
    public async Task WriteUnauditedAsync_LockHeldBriefly_RetriesAndAppliesOnce(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        var attempts = 0;
        Task<int> write;
        await using (var blocker = await HoldWriteLockAsync())
        {
            write = writer.WriteUnauditedAsync(tx =>
            {
                Interlocked.Increment(ref attempts);
                return tx.ExecuteAsync(InsertAccount, new { Name = "retried" });
            }, ct);

            await Poll.UntilAsync(() => writer.Retries > 0 || write.IsCompleted, TimeSpan.FromSeconds(5), "the writer never retried", ct);
            Assert.That(write.IsCompleted, Is.False, "the write finished while another connection held the write lock");
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(await write.WaitAsync(TimeSpan.FromSeconds(10), ct), Is.EqualTo(1));
        Assert.That(writer.Retries, Is.GreaterThan(0));
        Assert.That(attempts, Is.EqualTo(1), "the unit of work ran more than once");
        Assert.That(await CountAccountsAsync("retried"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WriteUnauditedAsync_LockHeldPastBudget_FailsWithinEightSecondsThenRecovers(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        Exception? failure;
        var clock = new Stopwatch();
        await using (var blocker = await HoldWriteLockAsync())
        {
            clock.Start();
            failure = await Assert.CatchAsync(() => writer.WriteUnauditedAsync(tx => tx.ExecuteAsync(InsertAccount, new { Name = "too-late" }), ct));
            clock.Stop();
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(failure, Is.InstanceOf<TimeoutRejectedException>().Or.InstanceOf<SqliteException>());
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "the write hung past its budget");
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(DbWriter.Budget - TimeSpan.FromMilliseconds(100)), $"the write gave up before its budget: {failure}");
        Assert.That(writer.Retries, Is.GreaterThan(0));

        Assert.That(await writer.WriteUnauditedAsync(tx => tx.ExecuteAsync(InsertAccount, new { Name = "after" }), ct), Is.EqualTo(1));
        Assert.That(await CountAccountsAsync("too-late"), Is.Zero);
        Assert.That(await CountAccountsAsync("after"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task WriteAsync_QueuedWrites_ShareOneCommitAndAFailingOneFailsAlone(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        var commitsBefore = writer.Commits;
        Task<int> first;
        List<Task<int>> queued;
        await using (var blocker = await HoldWriteLockAsync())
        {
            first = writer.WriteUnauditedAsync(tx => tx.ExecuteAsync(InsertAccount, new { Name = "first" }), ct);
            await Poll.UntilAsync(() => writer.Retries > 0, TimeSpan.FromSeconds(5), "the first write never waited for the lock", ct);
            queued = [.. Enumerable.Range(0, 50).Select(n => writer.WriteUnauditedAsync(async tx =>
            {
                await tx.ExecuteAsync(InsertAccount, new { Name = $"queued-{n}" });
                if (n == 25)
                    throw new Gateway.Core.Protocol.GatewayException(Gateway.Core.Protocol.ErrorCode.InvalidRequest, "this one fails");
                return n;
            }, ct))];
            await blocker.Transaction.RollbackAsync(ct);
        }

        await first.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var failing = queued[25];
        await Assert.ThatAsync(() => failing, Throws.InstanceOf<Gateway.Core.Protocol.GatewayException>());
        await Task.WhenAll(queued.Where(t => t != failing)).WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.That(writer.Commits - commitsBefore, Is.EqualTo(2), "the 50 queued writes did not share one commit");
        Assert.That(await CountAccountsAsync("queued-25"), Is.Zero);
        Assert.That(await CountAccountsAsync("queued-24"), Is.EqualTo(1));
        Assert.That(await CountAccountsAsync("queued-26"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task WriteAsync_WorkAnsweringNothing_CommitsWithItsAuditRecord(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        var entry = new AuditEntry(7, "s-1", "AddAccount", "{\"AccountName\":\"plain\",\"Password\":\"hidden\"}"u8.ToArray());

        await writer.WriteAsync(entry, async tx =>
        {
            await tx.ExecuteAsync(InsertAccount, new { Name = "plain" });
            tx.Change = "account 'plain' created";
        }, ct);
        await writer.WriteUnauditedAsync(tx => tx.ExecuteAsync(InsertAccount, new { Name = "unaudited" }), ct);

        Assert.That(await CountAccountsAsync("plain"), Is.EqualTo(1));
        Assert.That(await CountAccountsAsync("unaudited"), Is.EqualTo(1));
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        var rows = (await db.QueryAsync<(long UserId, string? SessionId, string Function, string Payload, string Change)>(
            "SELECT UserId, SessionId, Function, Payload, Change FROM audit_log")).ToList();
        Assert.That(rows, Is.EqualTo(new[] { (7L, (string?)"s-1", "AddAccount", "{\"AccountName\":\"plain\"}", "account 'plain' created") }));
    }

    private async Task<long> CountAccountsAsync(string name)
    {
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        return await db.ExecuteScalarAsync<long>("SELECT count(*) FROM accounts WHERE AccountName = @Name", new { Name = name });
    }

    private Task<DbWriter> OpenWriterAsync() => _temp.OpenWriterAsync();

    private Task<WriteLockHolder> HoldWriteLockAsync() => WriteLockHolder.TakeAsync(_database.Path);
}
