using System.Security.Cryptography;
using System.Text;
using Dapper;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>The audit hash chain on a real SQLite file: the hash rule of calls.md, group commit with rolled-back writes, and edits found.</summary>
[TestFixture]
public sealed class AuditChainTests
{
    private const string InsertAccount = "INSERT INTO accounts (AccountName, AccountHandle) VALUES (@Name, @Name)";

    private TempDatabase _temp = null!;

    private Database _database => _temp.Database;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempDatabase("chain");
    }

    [TearDown]
    public void DeleteFolder()
    {
        _temp.Dispose();
    }

    [Test]
    public void Of_KnownRecord_IsSha256OfThePreviousHashAndTheSortedCompactJson()
    {
        var previous = Convert.ToHexStringLower(SHA256.HashData("previous"u8));
        var row = new AuditLog.AuditRow(7, "2026-11-24T06:00:00.0000000Z", 1, "3fa9c0d1e2b4", "AddUserPermission",
            "{\"UserId\": 7, \"Permission\": \"Trading\", \"Note\": {\"b\": 1.50, \"a\": [{\"z\": true, \"y\": null}], \"B\": \"Zoë\"}}",
            "granted Trading to user 7", 7, null, "{\"Permissions\":[\"Deposit\"]}", "{\"Permissions\":[\"Deposit\",\"Trading\"]}", Hash: null);
        const string Canonical =
            "{\"Id\":7,\"Time\":\"2026-11-24T06:00:00.0000000Z\",\"UserId\":1,\"SessionId\":\"3fa9c0d1e2b4\",\"Function\":\"AddUserPermission\"," +
            "\"Payload\":{\"Note\":{\"B\":\"Zoë\",\"a\":[{\"y\":null,\"z\":true}],\"b\":1.50},\"Permission\":\"Trading\",\"UserId\":7}," +
            "\"Change\":\"granted Trading to user 7\",\"TargetUserId\":7,\"TargetAccountId\":null," +
            "\"Before\":{\"Permissions\":[\"Deposit\"]},\"After\":{\"Permissions\":[\"Deposit\",\"Trading\"]}}";

        Assert.That(Encoding.UTF8.GetString(AuditHash.Canonical(row)), Is.EqualTo(Canonical));
        Assert.That(AuditHash.Of(previous, row), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(previous + Canonical)))));
        Assert.That(AuditHash.Genesis, Is.EqualTo(new string('0', 64)));
    }

    [Test]
    public void Canonical_NoSessionTargetsOrStates_WritesNulls()
    {
        var row = new AuditLog.AuditRow(1, "2026-11-24T06:00:00.0000000Z", 0, null, "LogOut", "{}", "ok", null, null, null, null, null);

        Assert.That(Encoding.UTF8.GetString(AuditHash.Canonical(row)), Is.EqualTo(
            "{\"Id\":1,\"Time\":\"2026-11-24T06:00:00.0000000Z\",\"UserId\":0,\"SessionId\":null,\"Function\":\"LogOut\",\"Payload\":{}," +
            "\"Change\":\"ok\",\"TargetUserId\":null,\"TargetAccountId\":null,\"Before\":null,\"After\":null}"));
    }

    [Test]
    public async Task VerifyAsync_EmptyLog_IsOkWithNoRowsAndTheGenesisHead()
    {
        await using var writer = await OpenWriterAsync();

        var result = await AuditChain.VerifyAsync(_database, CancellationToken.None);

        Assert.That(result, Is.EqualTo(new AuditVerification(true, 0, 0, AuditHash.Genesis, null)));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task WriteAsync_ConcurrentWritesSomeRolledBackInOneGroupCommit_ChainVerifies(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        var commitsBefore = writer.Commits;
        List<Task> writes;
        await using (var blocker = await WriteLockHolder.TakeAsync(_database.Path))
        {
            var first = AuditedWriteAsync(writer, -1, ct);
            await Poll.UntilAsync(() => writer.Retries > 0, TimeSpan.FromSeconds(5), "the first write never waited for the lock", ct);
            // Each call is queued before it returns, so all 200 wait together behind the lock and go out in shared commits.
            writes = [first, .. Enumerable.Range(0, 200).Select(n => AuditedWriteAsync(writer, n, ct, (n % 7) switch
            {
                0 => Failure.InWork,
                3 => Failure.InAuditRecord,
                _ => Failure.None,
            }))];
            Assert.That(writes.Any(w => w.IsCompleted), Is.False, "a write finished while another connection held the write lock");
            await blocker.Transaction.RollbackAsync(ct);
        }
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                await w;
                return true;
            }
            catch (GatewayException)
            {
                return false;
            }
        })).WaitAsync(TimeSpan.FromSeconds(20), ct);

        var succeeded = outcomes.Count(o => o);
        Assert.That(outcomes.Count(o => !o), Is.EqualTo(58), "two in every seven writes fail");
        Assert.That(writer.Commits - commitsBefore, Is.LessThan(writes.Count / 4), "the writes did not share commits");
        var result = await AuditChain.VerifyAsync(_database, ct);
        Assert.That(result.Ok, Is.True, result.Detail);
        Assert.That(result.Rows, Is.EqualTo(succeeded));
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        Assert.That(await db.QueryAsync<long>("SELECT Id FROM audit_log ORDER BY Id"), Is.EqualTo(Enumerable.Range(1, succeeded).Select(i => (long)i)),
            "a rolled-back write leaves no row and no gap");
        Assert.That(await db.ExecuteScalarAsync<long>("SELECT count(*) FROM accounts WHERE AccountName LIKE 'failing-%'"), Is.Zero);
        Assert.That(result.Head, Is.EqualTo(await db.ExecuteScalarAsync<string>("SELECT Hash FROM audit_log ORDER BY Id DESC LIMIT 1")));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task VerifyAsync_PayloadEditedInTheFile_NamesThatRow(CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        for (var n = 1; n <= 5; n++)
            await AuditedWriteAsync(writer, n, ct);
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        await db.ExecuteAsync("UPDATE audit_log SET Payload = '{\"AccountName\":\"forged\"}' WHERE Id = 3");

        var result = await AuditChain.VerifyAsync(_database, ct);

        Assert.That(result.Ok, Is.False);
        Assert.That(result.Detail, Is.EqualTo("audit row 3 does not match its hash"));
        Assert.That((result.Rows, result.LastId), Is.EqualTo((2L, 2L)), "the rows before it still match");
        Assert.That(result.Head, Is.EqualTo(await db.ExecuteScalarAsync<string>("SELECT Hash FROM audit_log WHERE Id = 2")));
    }

    [TestCase("UPDATE audit_log SET Payload = '{\"AccountName\":\"forged\"}', Hash = '@rehashed' WHERE Id = 3", 4)]
    [TestCase("DELETE FROM audit_log WHERE Id = 3", 4)]
    [TestCase("UPDATE audit_log SET Payload = 'not json' WHERE Id = 2", 2)]
    [TestCase("UPDATE audit_log SET Hash = NULL WHERE Id = 5", 5)]
    [TestCase("UPDATE audit_log SET Before = '{\"Permissions\":[]}' WHERE Id = 1", 1)]
    [CancelAfter(20_000)]
    public async Task VerifyAsync_RowEditedBehindTheGateway_NamesTheFirstBrokenRow(string edit, long broken, CancellationToken ct)
    {
        await using var writer = await OpenWriterAsync();
        for (var n = 1; n <= 5; n++)
            await AuditedWriteAsync(writer, n, ct);
        await using var db = await DatabaseProbe.OpenAsync(_database.Path);
        // "@rehashed": the forger recomputes the edited row's own hash, which the next row's hash still gives away.
        var rehashed = AuditHash.Of(await db.ExecuteScalarAsync<string>("SELECT Hash FROM audit_log WHERE Id = 2") ?? "",
            (await db.QueryAsync<AuditLog.AuditRow>(
                "SELECT Id, At, UserId, SessionId, Function, Payload, Change, TargetUserId, TargetAccountId, Before, After, Hash FROM audit_log WHERE Id = 3")).Single() with { Payload = "{\"AccountName\":\"forged\"}" });
        await db.ExecuteAsync(edit.Replace("@rehashed", rehashed, StringComparison.Ordinal));

        var result = await AuditChain.VerifyAsync(_database, ct);

        Assert.That(result.BrokenId, Is.EqualTo(broken), result.ToString());
        Assert.That(result.Ok, Is.False);
    }

    private enum Failure
    {
        None,
        InWork,
        InAuditRecord,
    }

    // A failing write throws from its work, or from reading its After while the audit row is being made, after the
    // previous hash was read: either way it is rolled back to its savepoint and must leave the chain as it was.
    private static Task AuditedWriteAsync(DbWriter writer, int n, CancellationToken ct, Failure failure = Failure.None) =>
        writer.WriteAsync(new AuditEntry(1, "s-1", "AddAccount", Encoding.UTF8.GetBytes($"{{\"AccountName\":\"{n}\"}}")), async tx =>
        {
            tx.AuditCreation(new AuditSubject(null, n + 1000, _ => failure == Failure.InAuditRecord
                ? throw new GatewayException(ErrorCode.OperationFailed, "this one fails in its audit record")
                : Task.FromResult<string?>($"{{\"AccountId\":{n + 1000}}}")));
            await tx.ExecuteAsync(InsertAccount, new { Name = failure == Failure.None ? $"written-{n}" : $"failing-{n}" });
            tx.Change = $"account {n} created";
            if (failure == Failure.InWork)
                throw new GatewayException(ErrorCode.OperationFailed, "this one fails");
        }, ct);

    private Task<DbWriter> OpenWriterAsync() => _temp.OpenWriterAsync();
}
