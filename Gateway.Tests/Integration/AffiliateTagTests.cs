using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>Affiliate tags (seed 003): add, read, update, remove, count, syntax and uniqueness.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class AffiliateTagTests : AdminFixture
{
    private static string Tag() => "t_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<int> TaggedUserAsync(string tag)
    {
        var userId = await Admin.CreateUserAsync(Unique("aff"));
        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { omsId = 0, userId, affiliateId = 0, affiliateTag = tag }));
        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        return userId;
    }

    private async Task<int> AffiliateIdAsync(int userId) =>
        (await Admin.CallAsync("GetUserAffiliateTag", Json(new { UserId = userId }))).Payload[0].GetProperty("AffiliateId").GetInt32();

    [Test]
    public async Task AddUserAffiliateTag_ValidTag_IsReadableAndRecordedOnTheUser()
    {
        var tag = Tag();
        var userId = await TaggedUserAsync(tag);

        var read = await Admin.CallAsync("GetUserAffiliateTag", Json(new { OMSId = 1, UserId = userId }));

        Assert.That(read.O, Does.Match($"^\\[\\{{\"OMSId\":1,\"UserId\":{userId},\"AffiliateId\":[1-9]\\d*,\"AffiliateTag\":\"{tag}\"\\}}\\]$"));
        var affiliateId = read.Payload[0].GetProperty("AffiliateId").GetInt32();
        var user = await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId }));
        Assert.That(user.Payload.GetProperty("AffiliateId").GetInt32(), Is.EqualTo(affiliateId));
        Assert.That(await AffiliateIdAsync(await TaggedUserAsync(Tag())), Is.Not.EqualTo(affiliateId), "AffiliateIds are unique");
    }

    [Test]
    public async Task GetUserAffiliateTag_NoTag_AnswersEmptyArray()
    {
        var userId = await Admin.CreateUserAsync(Unique("notag"));

        Assert.That(await Admin.AffiliateTagAsync(userId), Is.EqualTo("[]"));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("dot.ted")]
    [TestCase("ümlaut")]
    [TestCase("x23456789012345678901234567890123")]
    public async Task AddUserAffiliateTag_InvalidSyntax_Answers100AndChangesNothing(string tag)
    {
        var userId = await Admin.CreateUserAsync(Unique("bad"));
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = tag }));

        Assert.That(reply.ErrorCode(), Is.EqualTo(100), reply.O);
        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"affiliateTag must be"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserAffiliateTag_ThirtyTwoLettersDigitsDashAndUnderscore_IsAccepted()
    {
        var tag = ("A-b_9" + Guid.NewGuid().ToString("N"))[..32];

        var userId = await TaggedUserAsync(tag);

        Assert.That(await Admin.AffiliateTagAsync(userId), Does.Contain($"\"AffiliateTag\":\"{tag}\""));
    }

    [Test]
    public async Task AddUserAffiliateTag_TagHeldByAnotherInOtherCase_Answers101AndChangesNothing()
    {
        var tag = Tag();
        var holder = await TaggedUserAsync(tag);
        var userId = await Admin.CreateUserAsync(Unique("second"));
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = tag.ToUpperInvariant() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(101, "affiliate tag already in use")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await Admin.AffiliateTagAsync(userId), Is.EqualTo("[]"));
        Assert.That(await Admin.AffiliateTagAsync(holder), Does.Contain(tag));
    }

    [Test]
    public async Task AddUserAffiliateTag_SameTagAgain_SucceedsAndChangesNothing()
    {
        var tag = Tag();
        var userId = await TaggedUserAsync(tag);
        var before = await Host.SnapshotExceptAsync("audit_log");

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateId = await AffiliateIdAsync(userId), affiliateTag = tag }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.SnapshotExceptAsync("audit_log"), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserAffiliateTag_DifferentTag_ReplacesTheTagKeepingTheAffiliateId()
    {
        var userId = await TaggedUserAsync(Tag());
        var affiliateId = await AffiliateIdAsync(userId);
        var replacement = Tag();

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = replacement }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.AffiliateTagAsync(userId), Is.EqualTo($"[{{\"OMSId\":1,\"UserId\":{userId},\"AffiliateId\":{affiliateId},\"AffiliateTag\":\"{replacement}\"}}]"));
    }

    [Test]
    public async Task AddUserAffiliateTag_ForeignAffiliateId_Answers104AndChangesNothing()
    {
        var other = await TaggedUserAsync(Tag());
        var userId = await TaggedUserAsync(Tag());
        var foreignId = await AffiliateIdAsync(other);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateId = foreignId, affiliateTag = Tag() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"affiliateId {foreignId} is not the AffiliateId of user {userId}")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateUserAffiliateTag_HeldTag_ReplacesItsText()
    {
        var userId = await TaggedUserAsync(Tag());
        var affiliateId = await AffiliateIdAsync(userId);
        var renamed = Tag();

        var reply = await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { omsId = 1, userId, affiliateId, affiliateTag = renamed }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.AffiliateTagAsync(userId), Is.EqualTo($"[{{\"OMSId\":1,\"UserId\":{userId},\"AffiliateId\":{affiliateId},\"AffiliateTag\":\"{renamed}\"}}]"));
    }

    [Test]
    public async Task UpdateUserAffiliateTag_NoTag_Answers104AndChangesNothing()
    {
        var userId = await Admin.CreateUserAsync(Unique("upd"));
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { userId, affiliateTag = Tag() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"user {userId} has no affiliate tag to update")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateUserAffiliateTag_TagHeldByAnother_Answers101AndChangesNothing()
    {
        var taken = Tag();
        await TaggedUserAsync(taken);
        var userId = await TaggedUserAsync(Tag());
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { userId, affiliateTag = taken }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(101, "affiliate tag already in use")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RemoveUserAffiliateTag_HeldTag_RemovesItAndClearsTheUsersAffiliateId()
    {
        var tag = Tag();
        var userId = await TaggedUserAsync(tag);

        var reply = await Admin.CallAsync("RemoveUserAffiliateTag", Json(new { OMSId = 1, UserId = userId, AffiliateTag = tag.ToUpperInvariant() }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.AffiliateTagAsync(userId), Is.EqualTo("[]"));
        Assert.That((await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId }))).Payload.GetProperty("AffiliateId").GetInt32(), Is.Zero);
        Assert.That(await TaggedUserAsync(tag), Is.GreaterThan(userId), "a removed tag is free again");
    }

    [Test]
    public async Task RemoveUserAffiliateTag_NoTag_Answers104AndChangesNothing()
    {
        var userId = await Admin.CreateUserAsync(Unique("rm"));
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("RemoveUserAffiliateTag", Json(new { UserId = userId }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"user {userId} has no affiliate tag")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RemoveUserAffiliateTag_OtherTagText_Answers104AndChangesNothing()
    {
        var tag = Tag();
        var userId = await TaggedUserAsync(tag);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("RemoveUserAffiliateTag", Json(new { UserId = userId, AffiliateTag = "not-mine" }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"user {userId} holds '{tag}', not 'not-mine'")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("AddUserAffiliateTag")]
    [TestCase("GetUserAffiliateTag")]
    [TestCase("UpdateUserAffiliateTag")]
    [TestCase("RemoveUserAffiliateTag")]
    [TestCase("GetUserAffiliateCount")]
    public async Task AffiliateTagCall_MissingUser_Answers104AndChangesNothing(string function)
    {
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync(function, Json(new { omsId = 1, userId = 654321, affiliateId = 0, affiliateTag = Tag() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, "userId 654321 does not exist")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    // Real client libraries send the UserId, 1 or 0 as affiliateId; before the user has a tag there is nothing to check it against.
    [TestCase("the UserId")]
    [TestCase("1")]
    [TestCase("999")]
    public async Task AddUserAffiliateTag_UserWithoutTagAnyAffiliateId_IsAcceptedAndIgnored(string sent)
    {
        var userId = await Admin.CreateUserAsync(Unique("noid"));
        var affiliateId = sent == "the UserId" ? userId : int.Parse(sent, System.Globalization.CultureInfo.InvariantCulture);
        var tag = Tag();

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { omsId = 1, userId, affiliateId, affiliateTag = tag }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.AffiliateTagAsync(userId), Does.Match($"^\\[\\{{\"OMSId\":1,\"UserId\":{userId},\"AffiliateId\":[1-9]\\d*,\"AffiliateTag\":\"{tag}\"\\}}\\]$"));
    }

    [TestCase("the UserId")]
    [TestCase("1")]
    [TestCase("999")]
    public async Task UpdateUserAffiliateTag_UserWithoutTagAnyAffiliateId_Answers104NoTagToUpdate(string sent)
    {
        var userId = await Admin.CreateUserAsync(Unique("noid"));
        var affiliateId = sent == "the UserId" ? userId : int.Parse(sent, System.Globalization.CultureInfo.InvariantCulture);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { omsId = 1, userId, affiliateId, affiliateTag = Tag() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"user {userId} has no affiliate tag to update")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [TestCase("AddUserAffiliateTag", "another user's")]
    [TestCase("AddUserAffiliateTag", "-1")]
    [TestCase("UpdateUserAffiliateTag", "another user's")]
    [TestCase("UpdateUserAffiliateTag", "-1")]
    public async Task AffiliateTagWrite_HolderSendingAnAffiliateIdNotItsOwn_Answers104AndChangesNothing(string function, string sent)
    {
        var userId = await TaggedUserAsync(Tag());
        var affiliateId = sent == "-1" ? -1 : await AffiliateIdAsync(await TaggedUserAsync(Tag()));
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync(function, Json(new { userId, affiliateId, affiliateTag = Tag() }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(104, $"affiliateId {affiliateId} is not the AffiliateId of user {userId}")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateUserAffiliateTag_InvalidSyntax_Answers100AndChangesNothing()
    {
        var tag = Tag();
        var userId = await TaggedUserAsync(tag);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("UpdateUserAffiliateTag", Json(new { userId, affiliateTag = "no/slash" }));

        Assert.That(reply.O, Is.EqualTo(Std.Error(100, "affiliateTag must be 1 to 32 letters, digits, '_' or '-', not 'no/slash'")));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That(await Admin.AffiliateTagAsync(userId), Does.Contain(tag));
    }

    [Test]
    public async Task GetUserAffiliateCount_CreateUserWithTag_RecordsTheReferrerAndCountsIt()
    {
        var tag = Tag();
        var referrer = await TaggedUserAsync(tag);
        Assert.That(await Admin.AffiliateCountAsync(referrer), Is.EqualTo("{\"Count\":0}"));

        var created = await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("ref"), Password = "password-123" }, AffiliateTag = tag.ToUpperInvariant(), OMSId = 1 }));
        var referred = created.Payload.GetProperty("UserId").GetInt32();

        Assert.That(created.ErrorCode(), Is.Zero, created.O);
        Assert.That((await Admin.CallAsync("GetUserInfo", Json(new { UserId = referred }))).Payload.GetProperty("RefererId").GetInt32(), Is.EqualTo(referrer));
        Assert.That(await Admin.AffiliateCountAsync(referrer), Is.EqualTo("{\"Count\":1}"));
        await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("ref"), Password = "password-123" }, AffiliateTag = tag }));
        Assert.That(await Admin.AffiliateCountAsync(referrer), Is.EqualTo("{\"Count\":2}"));
        await Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = Unique("ref"), Password = "password-123" }, AffiliateTag = "" }));
        Assert.That(await Admin.AffiliateCountAsync(referrer), Is.EqualTo("{\"Count\":2}"), "an empty AffiliateTag refers no one");

        Assert.That((await Admin.CallAsync("RemoveUserAffiliateTag", Json(new { UserId = referrer }))).O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.AffiliateCountAsync(referrer), Is.EqualTo("{\"Count\":2}"), "a removed tag does not change past referrals");
    }
}
