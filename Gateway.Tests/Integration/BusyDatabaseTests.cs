using System.Diagnostics;
using Gateway.Core.Dispatch;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Another process holding the database's write lock: a write call answers 102 within its budget, then works again.</summary>
[TestFixture]
public sealed class BusyDatabaseTests : HostFixture
{
    private const string GrantTrading = "{\"UserId\":1,\"Permission\":\"Trading\"}";
    private const string HoldsTradingSql = "SELECT count(*) FROM user_permissions WHERE UserId = 1 AND Permission = 'Trading'";

    [Test]
    [CancelAfter(40_000)]
    public async Task AddUserPermission_DatabaseLockedByAnotherConnection_Answers102ThenSucceedsAfterRelease(CancellationToken ct)
    {
        // Logging in writes a session row, so it happens before the lock is taken.
        using var admin = await Host.ConnectAdminAsync();

        ReplyFrame refused;
        TimeSpan elapsed;
        await using (var blocker = await WriteLockHolder.TakeAsync(Host.DatabasePath()))
        {
            var clock = Stopwatch.StartNew();
            refused = await admin.CallAsync("AddUserPermission", GrantTrading, timeout: TimeSpan.FromSeconds(8));
            elapsed = clock.Elapsed;
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(refused.M, Is.EqualTo(1));
        Assert.That(refused.O, Is.EqualTo(
            "{\"result\":false,\"errormsg\":\"Server Error\",\"errorcode\":102,\"detail\":\"" + Failures.ServerFault + "\"}"));
        Assert.That(refused.Raw, Does.Not.Contain("SQLite").IgnoreCase
            .And.Not.Contain("locked").IgnoreCase
            .And.Not.Contain("INSERT").IgnoreCase
            .And.Not.Contain(Host.DataDir.FullName));
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
        Assert.That(await Host.ScalarAsync<long>(HoldsTradingSql), Is.Zero, "the refused grant was applied");

        var accepted = await admin.CallAsync("AddUserPermission", GrantTrading);

        Assert.That(accepted.O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
        Assert.That(await Host.ScalarAsync<long>(HoldsTradingSql), Is.EqualTo(1));
    }
}
