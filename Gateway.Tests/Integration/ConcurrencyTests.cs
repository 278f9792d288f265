using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Concurrency: racing links leave one link; racing tags leave one holder.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class ConcurrencyTests : AdminFixture
{
    private const int Racers = 50;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private TestClient[] _sockets = [];

    [OneTimeSetUp]
    public async Task ConnectRacers()
    {
        _sockets = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Host.ConnectAdminAsync())).WaitAsync(Deadline);
    }

    [OneTimeTearDown]
    public void DisconnectRacers()
    {
        foreach (var socket in _sockets)
            socket.Dispose();
    }

    [Test]
    public async Task AddUserAccount_FiftySocketsSamePair_AllSucceedAndOneLinkExists()
    {
        var userName = Unique("race");
        var userId = await Admin.CreateUserAsync(userName);
        var accountId = await Admin.AddAccountAsync(view: true);
        var payload = Json(new { accountId, userId });

        var replies = await Task.WhenAll(_sockets.Select(s => s.CallAsync("AddUserAccount", payload))).WaitAsync(Deadline);

        Assert.That(replies.Select(r => r.O), Is.All.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
        Assert.That((await Admin.CallAsync("GetAccountUsers", Json(new { AccountId = accountId }))).O,
            Is.EqualTo($"[{{\"UserId\":{userId},\"UserName\":\"{userName}\",\"AccountUserPermissions\":[0]}}]"));
        Assert.That(await Admin.DefaultAccountAsync(userId), Is.EqualTo(accountId));
        Assert.That(await Host.ScalarAsync<long>("SELECT count(*) FROM user_accounts WHERE UserId = @userId", new { userId }), Is.EqualTo(1));
        Assert.That(await Host.ScalarAsync<long>(
            "SELECT count(*) FROM user_account_permissions p JOIN user_accounts l ON l.Id = p.AccountUserId WHERE l.UserId = @userId", new { userId }), Is.EqualTo(1));
    }

    [Test]
    public async Task AddUserAffiliateTag_FiftyUsersSameTag_OneHolderAndFortyNineAnswer101()
    {
        var tag = "race_" + Guid.NewGuid().ToString("N")[..12];
        var users = new int[Racers];
        for (var i = 0; i < Racers; i++)
            users[i] = await Admin.CreateUserAsync(Unique("tagrace"));

        var replies = await Task.WhenAll(_sockets.Select((s, i) =>
            s.CallAsync("AddUserAffiliateTag", Json(new { omsId = 1, userId = users[i], affiliateId = 0, affiliateTag = i % 2 == 0 ? tag : tag.ToUpperInvariant() }))))
            .WaitAsync(Deadline);

        Assert.That(replies.Count(r => r.O == Std.Ok), Is.EqualTo(1), string.Join("\n", replies.Select(r => r.O).Distinct()));
        Assert.That(replies.Count(r => r.O == Std.Error(101, "affiliate tag already in use")), Is.EqualTo(Racers - 1));
        var winner = users[Array.FindIndex(replies, r => r.O == Std.Ok)];
        foreach (var userId in users)
        {
            var read = await Admin.AffiliateTagAsync(userId);
            Assert.That(read, userId == winner ? Does.Contain($"\"UserId\":{winner},") : Is.EqualTo("[]"), $"user {userId}");
        }
        Assert.That(await Host.ScalarAsync<long>("SELECT count(*) FROM affiliate_tags WHERE AffiliateTag = @tag", new { tag }), Is.EqualTo(1));
    }
}
