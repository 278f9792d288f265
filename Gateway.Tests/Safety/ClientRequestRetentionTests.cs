using System.Text.Json;
using Gateway.Core.Safety;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Tests.Safety;

/// <summary>protocol.md 9.1: ids are remembered Gateway:Safety:ClientRequestIdHours, then the sweep removes them and the id is new again.</summary>
[TestFixture]
public sealed class ClientRequestRetentionTests : AdminFixture
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    // Sessions must outlive the days this clock jumps.
    protected override string[] Settings => ["--Gateway:Safety:ClientRequestIdHours=2", "--Gateway:Security:SessionTimeoutMinutes=100000"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    private ClientRequestSweeper Sweeper => Host.App.Services.GetServices<IHostedService>().OfType<ClientRequestSweeper>().Single();

    private static string Grant(int userId, string id, string permission) =>
        JsonSerializer.Serialize(new { UserId = userId, Permission = permission, ClientRequestId = id });

    [Test]
    public async Task Repeat_AfterTheRetention_RunsAsANewCall()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("retain"));
        var id = "keep-" + Guid.NewGuid().ToString("N");
        await Admin.CallAsync("AddUserPermission", Grant(userId, id, "GetAuditLog"));

        _clock.Advance(TimeSpan.FromHours(1));
        var within = await Admin.CallAsync("AddUserPermission", Grant(userId, id, "GetUserInfo"));
        _clock.Advance(TimeSpan.FromHours(1.5));
        var after = await Admin.CallAsync("AddUserPermission", Grant(userId, id, "GetUserInfo"));

        Assert.That(within.O, Is.EqualTo(Std.Error(101, $"ClientRequestId '{id}' was already used for a different request")));
        Assert.That(after.O, Is.EqualTo(Std.Ok), "past the retention the id is new again, even before a sweep");
        Assert.That((await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Does.Contain("GetUserInfo"));
    }

    [Test]
    public async Task SweepAsync_RepliesOlderThanTheRetention_AreDeletedAndNewerOnesKept()
    {
        var userId = await Admin.CreateUserAsync(AccountSteps.Unique("sweep"));
        var old = "old-" + Guid.NewGuid().ToString("N");
        var recent = "recent-" + Guid.NewGuid().ToString("N");
        await Admin.CallAsync("AddUserPermission", Grant(userId, old, "GetAuditLog"));
        _clock.Advance(TimeSpan.FromHours(1.5));
        await Admin.CallAsync("AddUserPermission", Grant(userId, recent, "GetUserInfo"));
        _clock.Advance(TimeSpan.FromHours(1));

        await Sweeper.SweepAsync(CancellationToken.None);

        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM client_requests WHERE RequestId = @old", new { old }), Is.Zero);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM client_requests WHERE RequestId = @recent", new { recent }), Is.EqualTo(1));
    }
}
