using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Session expiry with two nodes on one PostgreSQL database sharing a clock: a session live on both (resumed on B once)
/// is ended as expired by neither while its client keeps using it on A, and when it does expire on B, A closes its socket.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
[Category(ClusterSteps.Category)]
public sealed class TwoNodeExpiryTests
{
    private const string Password = "password-123";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private TwoNodes? _nodes;
    private string _connectionString = null!;
    private TestHost _a = null!;
    private TestHost _b = null!;

    [OneTimeSetUp]
    public async Task StartTwoNodes()
    {
        // The sweep runs when the test says (SweepAsync), not on the hosts' own timer.
        _nodes = await TwoNodes.StartAsync(services => services.AddSingleton<TimeProvider>(_clock),
            "--Gateway:Security:SessionTimeoutMinutes=5", "--Gateway:Security:SessionSweepSeconds=3600");
        (_a, _b, _connectionString) = (_nodes.A, _nodes.B, _nodes.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopTwoNodes()
    {
        if (_nodes is not null)
            await _nodes.DisposeAsync();
    }

    [Test]
    public async Task SessionResumedOnBThenUsedOnA_BsSweepKeepsItWhileUsed_AndClosesAsSocketWhenItExpires()
    {
        using var admin = await _a.ConnectAdminAsync();
        var userName = "idle-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName, Password);
        using var onA = await _a.ConnectAsync();
        var token = await onA.LoginAsync(userName, Password);
        using (var onB = await _b.ConnectAsync())
        {
            var resumed = await onB.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
            Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resumed.O);
        }

        // The client is back on A only: A sees its calls and writes the activity back; B's memory of it stays old.
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.That((await onA.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero);
        _clock.Advance(TimeSpan.FromMinutes(3));
        await _b.App.Services.GetRequiredService<SessionManager>().SweepAsync(CancellationToken.None);
        Assert.That(await SessionsOfAsync(userId), Is.EqualTo(1L), "B's sweep kept the session A's client used 3 minutes ago");
        Assert.That((await onA.CallAsync("GetUserInfo")).ErrorCode(), Is.Zero);

        // Now idle for longer than the timeout everywhere: B's sweep ends it, and A closes its socket.
        _clock.Advance(TimeSpan.FromMinutes(6));
        await _b.App.Services.GetRequiredService<SessionManager>().SweepAsync(CancellationToken.None);
        var swept = Stopwatch.StartNew();
        var closed = await onA.Closed.WaitAsync(TimeSpan.FromSeconds(1));
        TestContext.Out.WriteLine($"expiry on B closed the socket on A {swept.Elapsed.TotalMilliseconds:0.0} ms after B's sweep");
        Assert.That((int?)closed.CloseStatus, Is.EqualTo(1008));
        Assert.That(await SessionsOfAsync(userId), Is.Zero);
    }

    private async Task<long> SessionsOfAsync(int userId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM sessions WHERE UserId = @UserId", connection);
        command.Parameters.AddWithValue("UserId", userId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
