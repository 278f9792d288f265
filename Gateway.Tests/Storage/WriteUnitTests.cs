using Dapper;
using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>Write units on a real SQLite file: the writes of a whole unit commit together, roll back together, and nest.</summary>
[TestFixture]
public sealed class WriteUnitTests
{
    private static readonly string[] FirstThenSecond = ["first", "second"];

    private const string InsertAccount = "INSERT INTO accounts (AccountName, AccountHandle) VALUES (@Name, @Name)";
    private static readonly AuditEntry Audited = new(1, null, "TestWrite", "{}"u8.ToArray());

    private TempDatabase _temp = null!;

    private Database _database => _temp.Database;
    private DbWriter _writer = null!;

    [SetUp]
    public async Task Open()
    {
        _temp = new TempDatabase("unit");
        _writer = TempDatabase.NewWriter(_database);
        await _writer.OpenAsync(CancellationToken.None);
    }

    [TearDown]
    public async Task Close()
    {
        await _writer.DisposeAsync();
        _temp.Dispose();
    }

    private Task<int> Insert(string name) => _writer.WriteAsync(Audited, tx => tx.ExecuteAsync(InsertAccount, new { Name = name }), CancellationToken.None);

    private async Task<long> CountAsync(string name)
    {
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        return await db.ExecuteScalarAsync<long>("SELECT count(*) FROM accounts WHERE AccountName = @Name", new { Name = name });
    }

    private async Task<long> AuditRowsAsync()
    {
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        return await db.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_TwoWrites_NeitherIsVisibleBeforeTheEndAndBothAfter(CancellationToken ct)
    {
        long seenInside = -1;
        await _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            await Insert("one");
            await Insert("two");
            seenInside = await CountAsync("one");
            return 0;
        }, ct);

        Assert.That(seenInside, Is.Zero, "another connection sees nothing before the unit commits");
        Assert.That(await CountAsync("one") + await CountAsync("two"), Is.EqualTo(2));
        Assert.That(await AuditRowsAsync(), Is.EqualTo(2), "each write is audited in the unit's transaction");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_BodyThrowsAfterAWrite_RollsTheWriteBack(CancellationToken ct)
    {
        Assert.That(() => _writer.RunUnitAsync<int>(rollBack: false, async _ =>
        {
            await Insert("undone");
            throw new InvalidOperationException("fails after writing");
        }, ct), Throws.InvalidOperationException);

        Assert.That(await CountAsync("undone"), Is.Zero);
        Assert.That(await AuditRowsAsync(), Is.Zero);
        await Insert("after");
        Assert.That(await CountAsync("after"), Is.EqualTo(1), "the writer goes on");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_RollBack_LeavesNothingAndDropsTheAfterCommitWork(CancellationToken ct)
    {
        var ran = false;
        var answer = await _writer.RunUnitAsync(rollBack: true, async unit =>
        {
            await Insert("dry");
            await _writer.AfterCommitAsync(_ => { ran = true; return Task.CompletedTask; }, ct);
            return unit.InDryRun;
        }, ct);

        Assert.That(answer, Is.True);
        Assert.That(await CountAsync("dry"), Is.Zero);
        Assert.That(ran, Is.False);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task AfterCommitAsync_InsideAUnit_RunsOnceTheUnitHasCommitted(CancellationToken ct)
    {
        long seenByAfterCommit = -1;
        var ranInside = false;
        await _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            await Insert("kept");
            await _writer.AfterCommitAsync(async _ => seenByAfterCommit = await CountAsync("kept"), ct);
            ranInside = seenByAfterCommit != -1;
            return 0;
        }, ct);

        Assert.That(ranInside, Is.False, "kept until the commit");
        Assert.That(seenByAfterCommit, Is.EqualTo(1), "run after the commit, when the write is visible");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_NestedUnitRollsBack_TheOuterUnitsWritesStay(CancellationToken ct)
    {
        await _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            await Insert("outer");
            await _writer.RunUnitAsync(rollBack: true, async _ =>
            {
                await Insert("inner");
                return 0;
            }, ct);
            await _writer.RunUnitAsync(rollBack: false, async inner =>
            {
                await Insert("undone");
                await inner.RollBackWritesAsync();
                await Insert("redone");
                return 0;
            }, ct);
            return 0;
        }, ct);

        Assert.That(await CountAsync("outer"), Is.EqualTo(1));
        Assert.That(await CountAsync("inner"), Is.Zero);
        Assert.That(await CountAsync("undone"), Is.Zero);
        Assert.That(await CountAsync("redone"), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_FailingWritesCaughtByTheBody_AreUndoneAloneWhateverCameBefore(CancellationToken ct)
    {
        Task Failing(string name) => _writer.WriteAsync(Audited, async tx =>
        {
            await tx.ExecuteAsync(InsertAccount, new { Name = name });
            throw new InvalidOperationException("fails after its insert");
        }, ct);

        await _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            Assert.That(() => Failing("first-fails"), Throws.InvalidOperationException);
            await Insert("kept-1");
            await _writer.RunUnitAsync(rollBack: false, async _ => await Insert("kept-nested"), ct);
            Assert.That(() => Failing("later-fails"), Throws.InvalidOperationException);
            await Insert("kept-2");
            return 0;
        }, ct);

        Assert.That(await CountAsync("first-fails") + await CountAsync("later-fails"), Is.Zero);
        Assert.That(await CountAsync("kept-1") + await CountAsync("kept-nested") + await CountAsync("kept-2"), Is.EqualTo(3));
        Assert.That(await AuditRowsAsync(), Is.EqualTo(3));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_HoldingTheWriter_AnotherWriteWaitsAndCommitsAfterIt(CancellationToken ct)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unit = _writer.RunUnitAsync(rollBack: false, async _ =>
        {
            await Insert("first");
            holding.SetResult();
            await release.Task;
            return 0;
        }, ct);
        await holding.Task.WaitAsync(ct);

        // Started outside the unit's flow: it queues for the writer the unit holds, and cannot commit before the unit.
        var other = Task.Run(() => Insert("second"), ct);
        Assert.That(await CountAsync("second"), Is.Zero);
        release.SetResult();
        await Task.WhenAll(unit, other).WaitAsync(ct);

        Assert.That(await CountAsync("first") + await CountAsync("second"), Is.EqualTo(2));
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        var order = (await db.QueryAsync<string>("SELECT AccountName FROM accounts WHERE AccountName IN ('first', 'second') ORDER BY AccountId")).ToList();
        Assert.That(order, Is.EqualTo(FirstThenSecond));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task RunUnitAsync_NothingWritten_TakesNoCommit(CancellationToken ct)
    {
        var commits = _writer.Commits;

        await _writer.RunUnitAsync(rollBack: false, _ => Task.FromResult(0), ct);

        Assert.That(_writer.Commits, Is.EqualTo(commits));
    }
}
