using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>GetUsers and GetAccounts (calls-next.md, listings): filters, paging by id, limits, Operator only.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class ListingTests : AdminFixture
{
    private static readonly int[] FirstUser = [1];
    private static readonly string[] FirmIdLower = ["firmid"];
    private static readonly string[] FsRegId = ["fsRegId"];
    private static readonly string[] FirmIdAndName = ["FirmId", "FirmName"];
    private static readonly string[] WithUnknownKey = ["FirmId", "Balance"];

    private string _adminToken = null!;

    [OneTimeSetUp]
    public async Task LogInOverHttp() => _adminToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    private Task<string> AdminBothAsync(string function, object payload) => Host.CallBothAsync(Admin, _adminToken, function, Json(payload));

    private async Task<List<string>> UserNamesAsync(object payload) =>
        JsonDocument.Parse(await AdminBothAsync("GetUsers", payload)).RootElement.EnumerateArray().Select(u => u.GetProperty("UserName").GetString()!).ToList();

    private async Task<List<int>> UserIdsAsync(object payload) =>
        JsonDocument.Parse(await AdminBothAsync("GetUsers", payload)).RootElement.EnumerateArray().Select(u => u.GetProperty("UserId").GetInt32()).ToList();

    private static string Run() => Guid.NewGuid().ToString("N")[..10];

    [Test]
    public async Task GetUsers_EmptyRequest_AnswersUserObjectsAsGetUserInfoFromTheFirst()
    {
        var reply = JsonDocument.Parse(await AdminBothAsync("GetUsers", new { })).RootElement;

        Assert.That(reply[0].GetRawText(), Is.EqualTo((await Admin.CallAsync("GetUserInfo", "{\"UserId\":1}")).O));
        var ids = reply.EnumerateArray().Select(u => u.GetProperty("UserId").GetInt32()).ToList();
        Assert.That(ids, Is.Ordered.Ascending.And.Unique);
        Assert.That(ids, Has.Count.LessThanOrEqualTo(100));
        Assert.That(reply.GetRawText(), Does.Not.Contain("Password"));
    }

    [TestCase("GetUsers", -1)]
    [TestCase("GetUsers", 1001)]
    [TestCase("GetAccounts", -5)]
    [TestCase("GetAccounts", 1001)]
    [TestCase("GetUserAffiliates", 1001)]
    [TestCase("GetRecentAffiliateRegistrations", 100000)]
    public async Task Listing_LimitOutOfRange_Answers100(string function, int limit)
    {
        Assert.That(await AdminBothAsync(function, new { UserId = 1, Limit = limit }), Is.EqualTo(Std.Error(100, "Limit must be between 1 and 1000")));
    }

    [Test]
    public async Task GetUsers_Pages_ByStartIndexAndLimit_TheShortPageIsTheLast()
    {
        var run = Run();
        var ids = new List<int>();
        for (var n = 0; n < 5; n++)
            ids.Add(await Admin.CreateUserAsync($"page{run}-{n}"));

        var first = await UserIdsAsync(new { Search = run, Limit = 2 });
        var second = await UserIdsAsync(new { Search = run, Limit = 2, StartIndex = first[^1] + 1 });
        var third = await UserIdsAsync(new { Search = run, Limit = 2, StartIndex = second[^1] + 1 });

        Assert.That(first.Concat(second).Concat(third), Is.EqualTo(ids));
        Assert.That(third, Has.Count.EqualTo(1));
        Assert.That(await UserIdsAsync(new { Search = run, Limit = 1000, StartIndex = ids[2] }), Is.EqualTo(ids.Skip(2)));
    }

    [Test]
    public async Task GetUsers_Search_IsALiteralCaseInsensitiveSubstringOfNameOrEmail()
    {
        var run = Run();
        var underscore = await Admin.CreateUserAsync($"Lit{run}_1");
        await Admin.CreateUserAsync($"lit{run}x1");
        var percent = await Admin.CreateUserAsync($"lit{run}%2");
        await Admin.CreateUserAsync($"lit{run}ab2");
        var mailed = await Admin.CreateUserAsync(Unique("mail"));
        Assert.That((await Admin.CallAsync("SetUserInfo", Json(new { UserId = mailed, Email = $"Box{run}@Example.com" }))).ErrorCode(), Is.Zero);

        Assert.That(await UserIdsAsync(new { Search = $"{run}_" }), Is.EqualTo(new[] { underscore }));
        Assert.That(await UserIdsAsync(new { Search = $"{run}%" }), Is.EqualTo(new[] { percent }));
        Assert.That(await UserIdsAsync(new { Search = $"LIT{run}_" }), Is.EqualTo(new[] { underscore }));
        Assert.That(await UserIdsAsync(new { Search = $"box{run}@example" }), Is.EqualTo(new[] { mailed }));
        Assert.That(await UserIdsAsync(new { Search = $"{run}*" }), Is.Empty);
    }

    [Test]
    public async Task Listing_SearchOver64Characters_Answers100()
    {
        Assert.That(await AdminBothAsync("GetUsers", new { Search = new string('s', 65) }), Is.EqualTo(Std.Error(100, "Search must be 1-64 characters")));
        Assert.That(await AdminBothAsync("GetAccounts", new { Search = new string('s', 65) }), Is.EqualTo(Std.Error(100, "Search must be 1-64 characters")));
    }

    [Test]
    public async Task GetUsers_BooleanFilters_TrueAndFalseAreBothRealValues()
    {
        var run = Run();
        var plain = await Admin.CreateUserAsync($"flag{run}-plain");
        var locked = await Admin.CreateUserAsync($"flag{run}-locked");
        var inactive = await Admin.CreateUserAsync($"flag{run}-inactive");
        var verified = await Admin.CreateUserAsync($"flag{run}-verified");
        Assert.That((await Admin.CallAsync("SetUserInfo", Json(new { UserId = locked, Locked = true }))).ErrorCode(), Is.Zero);
        Assert.That((await Admin.CallAsync("SetUserInfo", Json(new { UserId = inactive, Active = false }))).ErrorCode(), Is.Zero);
        Assert.That((await Admin.CallAsync("SetUserInfo", Json(new { UserId = verified, EmailVerified = true }))).ErrorCode(), Is.Zero);

        Assert.That(await UserIdsAsync(new { Search = run, Locked = true }), Is.EqualTo(new[] { locked }));
        Assert.That(await UserIdsAsync(new { Search = run, Locked = false }), Is.EqualTo(new[] { plain, inactive, verified }));
        Assert.That(await UserIdsAsync(new { Search = run, Active = false }), Is.EqualTo(new[] { inactive }));
        Assert.That(await UserIdsAsync(new { Search = run, EmailVerified = true }), Is.EqualTo(new[] { verified }));
        Assert.That(await UserIdsAsync(new { Search = run, EmailVerified = false, Active = true, Locked = false }), Is.EqualTo(new[] { plain }));
        Assert.That(await UserIdsAsync(new { Search = run, Locked = (bool?)null }), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task GetUsers_RefererIdAndPermission_SelectReferralsAndHolders()
    {
        var run = Run();
        var referrer = await Admin.CreateUserAsync($"ref{run}");
        var tag = "t" + run;
        Assert.That((await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId = referrer, affiliateTag = tag }))).O, Is.EqualTo(Std.Ok));
        var referred = await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = $"ref{run}-child", Password = "password-123" }, AffiliateTag = tag }));
        var child = referred.Payload.GetProperty("UserId").GetInt32();
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = referrer, Permission = "GetUsers" }))).O, Is.EqualTo(Std.Ok));

        Assert.That(await UserIdsAsync(new { RefererId = referrer }), Is.EqualTo(new[] { child }));
        Assert.That(await UserIdsAsync(new { Search = run, Permission = "getusers" }), Is.EqualTo(new[] { referrer }));
        Assert.That(await UserIdsAsync(new { Permission = "Operator", Limit = 1 }), Is.EqualTo(FirstUser));
        Assert.That(await UserIdsAsync(new { Search = run, Permission = "Operator" }), Is.Empty, "an Operator's implied permissions do not match");
        Assert.That(await AdminBothAsync("GetUsers", new { Permission = "Superuser" }), Is.EqualTo(Std.Error(100, "Permission must be one of GetAvailablePermissionList")));
    }

    [Test]
    public async Task GetUsers_CreatedFromAndTo_TakeIsoTextOrTicks()
    {
        var run = Run();
        var userId = await Admin.CreateUserAsync($"time{run}");
        var created = DateTimeOffset.Parse(JsonDocument.Parse((await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId }))).O).RootElement.GetProperty("DateTimeCreated").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(await UserIdsAsync(new { Search = run, CreatedFrom = created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) }), Is.EqualTo(new[] { userId }), "no offset means UTC; From is inclusive");
        Assert.That(await UserIdsAsync(new { Search = run, CreatedTo = created.UtcTicks }), Is.Empty, "To is exclusive");
        Assert.That(await UserIdsAsync(new { Search = run, CreatedTo = created.UtcTicks + 1 }), Is.EqualTo(new[] { userId }));
        Assert.That(await UserIdsAsync(new { Search = run, CreatedFrom = created.AddHours(1).ToString("O") }), Is.Empty);
        Assert.That(await UserIdsAsync(new { Search = run, CreatedFrom = "0001-01-01T00:00:00", CreatedTo = 0 }), Is.EqualTo(new[] { userId }), "the zero time is not given");
        Assert.That(await AdminBothAsync("GetUsers", new { CreatedFrom = "yesterday" }),
            Is.EqualTo(Std.Error(100, "CreatedFrom is not a time: send ISO-8601 text (2026-01-31T00:00:00Z; no offset means UTC) or an integer of .NET ticks")));
    }

    [Test]
    public async Task GetAccounts_EmptyRequest_AnswersAccountObjectsAsGetAccountInfo()
    {
        var accountId = await Admin.AddAccountAsync();

        var reply = JsonDocument.Parse(await AdminBothAsync("GetAccounts", new { StartIndex = accountId, Limit = 1 })).RootElement;

        Assert.That(reply.GetArrayLength(), Is.EqualTo(1));
        Assert.That(reply[0].GetRawText(), Is.EqualTo((await Admin.CallAsync("GetAccountInfo", Json(new { AccountId = accountId }))).O));
        var all = JsonDocument.Parse(await AdminBothAsync("GetAccounts", new { })).RootElement.EnumerateArray().Select(a => a.GetProperty("AccountId").GetInt32()).ToList();
        Assert.That(all, Is.Ordered.Ascending.And.Unique);
        Assert.That(all[0], Is.EqualTo(1));
    }

    [Test]
    public async Task GetAccounts_SearchAndRequestedKeys_Filter()
    {
        var run = Run();
        var plain = await Admin.AddAccountAsync($"h{run}-plain", name: $"Plain {run}%");
        var firm = await Admin.CallAsync("AddAccount", Json(new { AccountName = $"Firm {run}", AccountHandle = $"h{run}-firm", FirmId = "F1", FirmName = "Acme" }));
        var firmId = firm.Payload.GetProperty("Id").GetInt32();
        var idOnly = (await Admin.CallAsync("AddAccount", Json(new { AccountName = $"IdOnly {run}", AccountHandle = $"h{run}-idonly", FirmId = "F2" }))).Payload.GetProperty("Id").GetInt32();

        async Task<List<int>> Ids(object payload) =>
            JsonDocument.Parse(await AdminBothAsync("GetAccounts", payload)).RootElement.EnumerateArray().Select(a => a.GetProperty("AccountId").GetInt32()).ToList();

        Assert.That(await Ids(new { Search = run.ToUpperInvariant() }), Is.EqualTo(new[] { plain, firmId, idOnly }));
        Assert.That(await Ids(new { Search = $"{run}%" }), Is.EqualTo(new[] { plain }), "% is literal");
        Assert.That(await Ids(new { Search = $"H{run}-FIRM" }), Is.EqualTo(new[] { firmId }), "the handle matches too");
        Assert.That(await Ids(new { Search = run, RequestedKeys = FirmIdLower }), Is.EqualTo(new[] { firmId, idOnly }));
        Assert.That(await Ids(new { Search = run, RequestedKeys = FsRegId }), Is.EqualTo(new[] { firmId, idOnly }));
        Assert.That(await Ids(new { Search = run, RequestedKeys = FirmIdAndName }), Is.EqualTo(new[] { firmId }));
        Assert.That(await AdminBothAsync("GetAccounts", new { RequestedKeys = WithUnknownKey }),
            Is.EqualTo(Std.Error(100, "RequestedKeys may name only FirmId, FirmName, fsRegId")));
    }

    [TestCase("GetUsers")]
    [TestCase("GetAccounts")]
    [TestCase("GetUserAffiliates")]
    [TestCase("GetRecentAffiliateRegistrations")]
    public async Task Listing_TradingCaller_Answers20(string function)
    {
        var name = Unique("lister");
        var (client, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using var owned = client;
        var token = await Host.LoginOverHttpAsync(name, "password-123");

        var reply = await Host.CallBothAsync(client, token, function, Json(new { UserId = userId }));

        Assert.That(JsonDocument.Parse(reply).RootElement.GetProperty("errorcode").GetInt32(), Is.EqualTo(20), reply);
    }
}
