using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Core.Cluster;
using Gateway.Core.Storage;
using Gateway.Tests.Events;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Two gateway nodes in this process on one PostgreSQL database (operations.md section 5): what one node caches, the
/// other's commits invalidate; sessions ended through one node close their sockets on the other; events reach a
/// subscriber on either node in Sequence order; a node that loses its listening connection reads from the database until
/// it is back. Skipped where no PostgreSQL server is installed.
/// </summary>
[TestFixture]
[CancelAfter(180_000)]
[Category(ClusterSteps.Category)]
public sealed class TwoNodeTests
{
    private const string Password = "password-123";
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    private TwoNodes? _nodes;
    private string _connectionString = null!;
    private TestHost _a = null!;
    private TestHost _b = null!;
    private string[] _settings = [];

    [OneTimeSetUp]
    public async Task StartTwoNodes()
    {
        _nodes = await TwoNodes.StartAsync(null, "--Gateway:Limits:RequestsPerSecond=100000", "--Gateway:Limits:RequestBurst=100000");
        (_a, _b, _connectionString, _settings) = (_nodes.A, _nodes.B, _nodes.ConnectionString, _nodes.Settings);
    }

    [OneTimeTearDown]
    public async Task StopTwoNodes()
    {
        if (_nodes is not null)
            await _nodes.DisposeAsync();
    }

    [Test]
    public async Task RevokeThroughB_HolderOnA_NextCallAnswers20WithinASecond()
    {
        using var adminB = await _b.ConnectAdminAsync();
        using var adminA = await _a.ConnectAdminAsync();
        var (user, userId) = await _a.ConnectNewUserAsync(adminA);
        using var _ = user;
        var revoke = $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}";
        var grant = $"{{\"UserId\":{userId},\"Permission\":\"Trading\",\"Value\":1}}";
        var propagation = new List<double>();
        var staleCalls = 0;

        for (var round = 0; round < 20; round++)
        {
            // Served (and so cached on A) before each revocation.
            Assert.That((await user.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, $"round {round}: before the revocation");
            Assert.That((await adminB.CallAsync("RevokeUserPermission", revoke)).ErrorCode(), Is.Zero);
            var replied = Stopwatch.StartNew();
            while ((await user.CallAsync("GetUserInfo")).ErrorCode() != 20)
            {
                staleCalls++;
                Assert.That(replied.Elapsed, Is.LessThanOrEqualTo(Propagation), $"round {round}: still served after the revocation");
            }
            propagation.Add(replied.Elapsed.TotalMilliseconds);
            // Once refused, never served again until the permission is given back.
            Assert.That((await user.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20), $"round {round}: served again");
            Assert.That((await adminB.CallAsync("AddUserPermission", grant)).ErrorCode(), Is.Zero);
            var granted = Stopwatch.StartNew();
            while ((await user.CallAsync("GetUserInfo")).ErrorCode() != 0)
                Assert.That(granted.Elapsed, Is.LessThanOrEqualTo(Propagation), $"round {round}: still refused after the grant");
        }
        propagation.Sort();
        TestContext.Out.WriteLine(
            $"revocation through B seen on A: median {propagation[propagation.Count / 2]:0.0} ms, max {propagation[^1]:0.0} ms over {propagation.Count} rounds; {staleCalls} stale answers");
    }

    [Test]
    public async Task LogOutThroughB_SessionWithSocketOnA_ClosesItWith1008WithinASecond()
    {
        using var adminA = await _a.ConnectAdminAsync();
        var userName = "out-" + Guid.NewGuid().ToString("N")[..10];
        await adminA.CreateUserAsync(userName, Password);
        using var onA = await _a.ConnectAsync();
        var token = await onA.LoginAsync(userName, Password);
        using var onB = await _b.ConnectAsync();
        var resumed = await onB.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
        Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resumed.O);

        Assert.That((await onB.CallAsync("LogOut")).ErrorCode(), Is.Zero);
        var replied = Stopwatch.StartNew();
        var closed = await onA.Closed.WaitAsync(Propagation);
        TestContext.Out.WriteLine($"LogOut through B closed the socket on A {replied.Elapsed.TotalMilliseconds:0.0} ms after B's reply");
        Assert.That((int?)closed.CloseStatus, Is.EqualTo(1008));

        // Nor can the token be resumed on A.
        using var again = await _a.ConnectAsync();
        var resume = await again.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
        Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, resume.O);
    }

    [Test]
    public async Task KeyRemovedThroughB_KeySessionOnA_ClosesItWith1008WithinASecond()
    {
        using var adminB = await _b.ConnectAdminAsync();
        var userId = await adminB.CreateUserAsync("key-" + Guid.NewGuid().ToString("N")[..10], Password);
        var key = await adminB.AddKeyAsync(userId, "Trading");
        // The secret B handed out verifies on A: the nodes share the master key.
        using var onA = await _a.ConnectAsync();
        var login = await onA.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        Assert.That(login.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login.O);

        var removed = await adminB.CallAsync("RemoveUserAPIKey", JsonSerializer.Serialize(new { UserId = userId, APIKey = key.Key }));
        Assert.That(removed.ErrorCode(), Is.Zero, removed.O);
        var replied = Stopwatch.StartNew();
        var closed = await onA.Closed.WaitAsync(Propagation);
        TestContext.Out.WriteLine($"key removal through B closed the key's socket on A {replied.Elapsed.TotalMilliseconds:0.0} ms after B's reply");
        Assert.That((int?)closed.CloseStatus, Is.EqualTo(1008));
    }

    [Test]
    public async Task DeactivatedThroughB_UserWithSocketsOnA_ClosesThemWith1008WithinASecond()
    {
        using var adminB = await _b.ConnectAdminAsync();
        var userName = "off-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await adminB.CreateUserAsync(userName, Password);
        using var first = await _a.ConnectAsync();
        await first.LoginAsync(userName, Password);
        using var second = await _a.ConnectAsync();
        await second.LoginAsync(userName, Password);

        Assert.That((await adminB.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"Active\":false}}")).ErrorCode(), Is.Zero);
        var replied = Stopwatch.StartNew();
        var closed = await Task.WhenAll(first.Closed, second.Closed).WaitAsync(Propagation);
        TestContext.Out.WriteLine($"deactivation through B closed both sockets on A {replied.Elapsed.TotalMilliseconds:0.0} ms after B's reply");
        Assert.That(closed.Select(c => (int?)c.CloseStatus), Is.All.EqualTo(1008));
    }

    [Test]
    public async Task ChangesAlternatelyThroughAAndB_SubscriberOnA_Sees200InOrderNoneTwiceNoneMissing()
    {
        using var adminA = await _a.ConnectAdminAsync();
        using var adminB = await _b.ConnectAdminAsync();
        var (user, userId) = await _a.ConnectNewUserAsync(adminA);
        using var _ = user;
        var start = await user.SubscribeAsync();

        var held = true;
        for (var n = 0; n < 200; n++)
        {
            var through = n % 2 == 0 ? adminA : adminB;
            var reply = await through.CallAsync(held ? "RevokeUserPermission" : "AddUserPermission",
                JsonSerializer.Serialize(new { UserId = userId, Permission = "Deposit" }));
            Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
            held = !held;
        }

        var events = new List<ReplyFrame>();
        for (var n = 0; n < 200; n++)
            events.Add(await user.NextEventAsync());
        Assert.That(events[0].Sequence(), Is.GreaterThan(start));
        for (var n = 1; n < events.Count; n++)
        {
            Assert.That(events[n].Sequence(), Is.GreaterThan(events[n - 1].Sequence()), $"event {n}");
            Assert.That(events[n].PrevSequence(), Is.EqualTo(events[n - 1].Sequence()), $"event {n}");
        }
        // Revoked on even changes, given back on odd ones: each event shows the state its own change left.
        for (var n = 0; n < events.Count; n++)
        {
            var permissions = events[n].Payload.GetProperty("Permissions").Json();
            Assert.That(permissions.Contains("\"Deposit\"", StringComparison.Ordinal), Is.EqualTo(n % 2 == 1), $"event {n}: {permissions}");
        }
        await user.CallAsync("Ping");
        Assert.That(user.TryTakeUnmatched(out var extra), Is.False, $"an event beyond the 200: {extra}");
    }

    [Test]
    public async Task ListeningConnectionKilled_WarnsReadsFromTheDatabaseAndLogsWhenBack()
    {
        using var adminA = await _a.ConnectAdminAsync();
        using var adminB = await _b.ConnectAdminAsync();
        var (user, userId) = await _a.ConnectNewUserAsync(adminA);
        using var _ = user;
        var writerA = _a.App.Services.GetRequiredService<DbWriter>();
        Assert.That(writerA.CacheBypassed, Is.False, "A listens before the test");
        var warnings = Count("Warning Gateway.Core.Cluster.ChangeListener: Lost the connection");
        var backAgain = Count("Information Gateway.Core.Cluster.ChangeListener: Hearing other nodes' commits again");
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;

        // The database refuses new connections for a while (the nodes' pooled ones stay open), so the listeners cannot
        // reconnect while the test checks what a node does without one.
        await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        try
        {
            var killed = await AdminAsync(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{ChangeListener.ApplicationName}' AND datname = '{database}'");
            Assert.That(killed, Is.EqualTo(2L), "one listening connection per node");
            await Poll.UntilAsync(() => writerA.CacheBypassed && Count("Warning Gateway.Core.Cluster.ChangeListener: Lost the connection") > warnings,
                TimeSpan.FromSeconds(10), "A bypasses its cache and warns");

            // With nothing heard from B, every change B makes is seen by A's very next call: A reads from the database.
            var revoke = $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}";
            var grant = $"{{\"UserId\":{userId},\"Permission\":\"Trading\",\"Value\":1}}";
            for (var round = 0; round < 10; round++)
            {
                Assert.That((await user.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero, $"round {round}: served");
                Assert.That((await adminB.CallAsync("RevokeUserPermission", revoke)).ErrorCode(), Is.Zero);
                Assert.That((await user.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20), $"round {round}: the next call after B's revocation");
                Assert.That((await adminB.CallAsync("AddUserPermission", grant)).ErrorCode(), Is.Zero);
            }
            Assert.That(writerA.CacheBypassed, Is.True, "A was still without its listener");
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        var disconnected = Stopwatch.StartNew();
        await Poll.UntilAsync(() => !writerA.CacheBypassed && Count("Information Gateway.Core.Cluster.ChangeListener: Hearing other nodes' commits again") >= backAgain + 2,
            TimeSpan.FromSeconds(15), "both nodes listen again and say so");
        TestContext.Out.WriteLine($"listeners back {disconnected.Elapsed.TotalMilliseconds:0} ms after the database took connections again");
        // And A follows B through notices again.
        Assert.That((await adminB.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}")).ErrorCode(), Is.Zero);
        var replied = Stopwatch.StartNew();
        while ((await user.CallAsync("GetUserInfo")).ErrorCode() != 20)
            Assert.That(replied.Elapsed, Is.LessThanOrEqualTo(Propagation), "A still served after B's revocation");
    }

    [Test]
    public async Task NodeStopped_ItsClientResumesOnBBySessionToken_AndReplaysWhatItMissed()
    {
        using var adminB = await _b.ConnectAdminAsync();
        var userName = "moved-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await adminB.CreateUserAsync(userName, Password);
        var c = await TestHost.StartAsync(_settings);
        string token;
        long seen;
        try
        {
            using var onC = await c.ConnectAsync();
            token = await onC.LoginAsync(userName, Password);
            await onC.SubscribeAsync();
            await EventStreamTests.ToggleAsync(adminB, userId, "Deposit", 1);
            seen = (await onC.NextEventAsync()).Sequence();
        }
        finally
        {
            await c.DisposeAsync();
        }
        // Changes while the client has no node.
        await EventStreamTests.ToggleAsync(adminB, userId, "Withdraw", 3);

        using var onB = await _b.ConnectAsync();
        var resumed = await onB.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
        Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resumed.O);
        await onB.SubscribeAsync($"{{\"FromSequence\":{seen}}}");
        var first = await onB.NextEventAsync();
        Assert.That(first.PrevSequence(), Is.EqualTo(seen), "the replay continues where node C left off");
        var second = await onB.NextEventAsync();
        var third = await onB.NextEventAsync();
        Assert.That(second.PrevSequence(), Is.EqualTo(first.Sequence()));
        Assert.That(third.PrevSequence(), Is.EqualTo(second.Sequence()));
    }

    [Test]
    public async Task ListenerDown_BChangesThenAChanges_SubscriberOnAGetsBsEventsFirstFromTheLog()
    {
        using var adminA = await _a.ConnectAdminAsync();
        using var adminB = await _b.ConnectAdminAsync();
        var (user, userId) = await _a.ConnectNewUserAsync(adminA);
        using var _ = user;
        var start = await user.SubscribeAsync();
        var writerA = _a.App.Services.GetRequiredService<DbWriter>();
        var database = new NpgsqlConnectionStringBuilder(_connectionString).Database!;

        await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        try
        {
            await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{ChangeListener.ApplicationName}' AND datname = '{database}'");
            await Poll.UntilAsync(() => writerA.CacheBypassed, TimeSpan.FromSeconds(10), "A loses its listener");
            // A hears nothing of these: only its own commit's gap filling (read from the log under the write lock) can
            // put them on its stream, ahead of A's own change.
            await EventStreamTests.ToggleAsync(adminB, userId, "Deposit", 5);
            await EventStreamTests.ToggleAsync(adminA, userId, "Withdraw", 1);

            var events = new List<ReplyFrame>();
            for (var n = 0; n < 6; n++)
                events.Add(await user.NextEventAsync(TimeSpan.FromSeconds(5)));
            Assert.That(writerA.CacheBypassed, Is.True, "A was still without its listener");
            Assert.That(events[0].Sequence(), Is.GreaterThan(start));
            for (var n = 1; n < events.Count; n++)
                Assert.That(events[n].PrevSequence(), Is.EqualTo(events[n - 1].Sequence()), $"event {n}");
            for (var n = 0; n < 5; n++)
                Assert.That(events[n].Payload.GetProperty("Permissions").Json(), Does.Contain("Withdraw"), $"event {n} is one of B's, before A's");
            Assert.That(events[5].Payload.GetProperty("Permissions").Json(), Does.Not.Contain("Withdraw"), "A's own change comes last");
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }
        await Poll.UntilAsync(() => !writerA.CacheBypassed, TimeSpan.FromSeconds(15), "A listens again");
        await user.CallAsync("Ping");
        Assert.That(user.TryTakeUnmatched(out var extra), Is.False, $"an event twice after the reconnect's catch-up: {extra}");
    }

    private static int Count(string prefix) => LogCapture.Lines.Count(l => l.StartsWith(prefix, StringComparison.Ordinal));

    // Statements on the maintenance database: ALTER DATABASE needs a connection that is not to the database itself.
    private static async Task<object?> AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresCluster.Shared.ConnectionString("postgres", maxPoolSize: 1));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
