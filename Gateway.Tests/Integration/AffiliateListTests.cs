using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>GetUserAffiliates and GetRecentAffiliateRegistrations (calls-next.md, affiliates): who is listed, naming the affiliate, dates and pages.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AffiliateListTests : AdminFixture
{
    private string _adminToken = null!;

    [OneTimeSetUp]
    public async Task LogInOverHttp() => _adminToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    private Task<string> BothAsync(string function, object payload) => Host.CallBothAsync(Admin, _adminToken, function, Json(payload));

    private async Task<List<int>> IdsAsync(string function, object payload) =>
        JsonDocument.Parse(await BothAsync(function, payload)).RootElement.EnumerateArray().Select(u => u.GetProperty("UserId").GetInt32()).ToList();

    // An affiliate with a tag and three users registered with it.
    private async Task<(int Affiliate, string Name, string Tag, List<int> Referred)> AffiliateAsync()
    {
        var name = Unique("aff");
        var affiliate = await Admin.CreateUserAsync(name);
        var tag = "t_" + Guid.NewGuid().ToString("N")[..12];
        Assert.That((await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId = affiliate, affiliateTag = tag }))).O, Is.EqualTo(Std.Ok));
        var referred = new List<int>();
        for (var n = 0; n < 3; n++)
        {
            var reply = await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("referred"), Password = "password-123" }, AffiliateTag = tag }));
            referred.Add(reply.Payload.GetProperty("UserId").GetInt32());
        }
        await Admin.CreateUserAsync(Unique("unreferred"));
        return (affiliate, name, tag, referred);
    }

    [Test]
    public async Task GetUserAffiliates_ByIdOrName_AnswersTheReferredUsersAsUserObjects()
    {
        var (affiliate, name, _, referred) = await AffiliateAsync();

        var reply = JsonDocument.Parse(await BothAsync("GetUserAffiliates", new { OMSId = 1, UserId = affiliate })).RootElement;

        Assert.That(reply.EnumerateArray().Select(u => u.GetProperty("UserId").GetInt32()), Is.EqualTo(referred));
        Assert.That(reply[0].GetRawText(), Is.EqualTo((await Admin.CallAsync("GetUserInfo", Json(new { UserId = referred[0] }))).O));
        Assert.That(await IdsAsync("GetUserAffiliates", new { UserName = name }), Is.EqualTo(referred));
        Assert.That(await IdsAsync("GetUserAffiliates", new { UserId = affiliate, Limit = 2 }), Is.EqualTo(referred.Take(2)));
        Assert.That(await IdsAsync("GetUserAffiliates", new { UserId = affiliate, StartIndex = referred[1] + 1 }), Is.EqualTo(referred.Skip(2)));
        Assert.That(await BothAsync("GetUserAffiliates", new { UserId = referred[0] }), Is.EqualTo("[]"));
    }

    [Test]
    public async Task GetUserAffiliates_NoOrUnknownUser_Answers100Or104()
    {
        Assert.That(await BothAsync("GetUserAffiliates", new { OMSId = 1 }), Is.EqualTo(Std.Error(100, "UserId or UserName is required")));
        Assert.That(await BothAsync("GetUserAffiliates", new { UserId = 987654 }), Is.EqualTo(Std.Error(104, "userId 987654 does not exist")));
        Assert.That(await BothAsync("GetUserAffiliates", new { UserName = "nobody-here" }), Is.EqualTo(Std.Error(104, "userName 'nobody-here' does not exist")));
    }

    [Test]
    public async Task GetRecentAffiliateRegistrations_ByTagOrId_DefaultsToTheLast30Days()
    {
        var (affiliate, _, tag, referred) = await AffiliateAsync();

        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { Tag = tag.ToUpperInvariant() }), Is.EqualTo(referred));
        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { OMSId = 1, UserId = affiliate, StartDate = "0001-01-01T00:00:00", EndDate = "0001-01-01T00:00:00" }), Is.EqualTo(referred));
        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate, Tag = tag, Limit = 1 }), Is.EqualTo(referred.Take(1)));
        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate, EndDate = "2000-01-01T00:00:00Z" }), Is.Empty);
        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate, StartDate = DateTimeOffset.UtcNow.AddHours(1).UtcTicks, EndDate = DateTimeOffset.UtcNow.AddHours(2).UtcTicks }), Is.Empty);
    }

    [Test]
    public async Task GetRecentAffiliateRegistrations_TagChangedLater_KeepsPastReferrals()
    {
        var (affiliate, _, _, referred) = await AffiliateAsync();
        var renamed = "t_" + Guid.NewGuid().ToString("N")[..12];

        Assert.That((await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { userId = affiliate, affiliateTag = renamed }))).O, Is.EqualTo(Std.Ok));

        Assert.That(await IdsAsync("GetRecentAffiliateRegistrations", new { Tag = renamed }), Is.EqualTo(referred));
    }

    [Test]
    public async Task GetRecentAffiliateRegistrations_BadNamesOrDates_Answer100Or104()
    {
        var (affiliate, _, tag, _) = await AffiliateAsync();

        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { OMSId = 1 }), Is.EqualTo(Std.Error(100, "UserId or Tag is required")));
        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { Tag = "no_such_tag" }), Is.EqualTo(Std.Error(104, "affiliate tag 'no_such_tag' does not exist")));
        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate + 1, Tag = tag }), Is.EqualTo(Std.Error(100, "UserId and Tag name different users")));
        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { UserId = 987654 }), Is.EqualTo(Std.Error(104, "userId 987654 does not exist")));
        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate, StartDate = "2026-02-01", EndDate = "2026-02-01" }),
            Is.EqualTo(Std.Error(100, "StartDate must be before EndDate")));
        Assert.That(await BothAsync("GetRecentAffiliateRegistrations", new { UserId = affiliate, EndDate = true }),
            Is.EqualTo(Std.Error(100, "EndDate is not a time: send ISO-8601 text (2026-01-31T00:00:00Z; no offset means UTC) or an integer of .NET ticks")));
    }
}
