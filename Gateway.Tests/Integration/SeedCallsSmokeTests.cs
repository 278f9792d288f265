using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class SeedCallsSmokeTests : HostFixture
{
    [Test]
    public async Task SeedCalls_LinkTagAndAudit_WorkEndToEnd()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("smoke-" + Guid.NewGuid().ToString("N")[..8]);
        var added = await admin.CallAsync("AddAccount", "{\"AccountName\":\"Smoke\",\"AccountHandle\":\"smoke-handle\",\"ViewLineItemPermissionFlag\":true}");
        Assert.That(added.O, Does.Match("^\\{\"Success\":true,\"Id\":\\d+,\"RejectMessage\":null\\}$"));
        var accountId = added.Payload.GetProperty("Id").GetInt32();

        var link = await admin.CallAsync("AddUserAccount", $"{{\"accountid\":\"{accountId}\",\"USERID\":{userId}}}");
        Assert.That(link.O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
        Assert.That((await admin.CallAsync("GetUserAccounts", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo($"[{accountId}]"));
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload.GetProperty("AccountId").GetInt32(), Is.EqualTo(accountId));
        var users = await admin.CallAsync("GetAccountUsers", $"{{\"AccountId\":{accountId}}}");
        Assert.That(users.Payload[0].GetProperty("AccountUserPermissions").GetRawText(), Is.EqualTo("[0]"));

        var tag = await admin.CallAsync("AddUserAffiliateTag", $"{{\"omsId\":0,\"userId\":{userId},\"affiliateId\":0,\"affiliateTag\":\"smoke_tag\"}}");
        Assert.That(tag.ErrorCode(), Is.Zero, tag.O);
        var read = await admin.CallAsync("GetUserAffiliateTag", $"{{\"UserId\":{userId}}}");
        Assert.That(read.Payload[0].GetProperty("AffiliateTag").GetString(), Is.EqualTo("smoke_tag"));

        var referred = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = "referred-" + userId, Password = "password-123" }, AffiliateTag = "SMOKE_TAG" }));
        Assert.That(referred.ErrorCode(), Is.Zero, referred.O);
        Assert.That((await admin.CallAsync("GetUserAffiliateCount", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("{\"Count\":1}"));

        var unlink = await admin.CallAsync("RemoveUserAccount", $"{{\"accountHandle\":\"SMOKE-HANDLE\",\"userId\":{userId}}}");
        Assert.That(unlink.ErrorCode(), Is.Zero, unlink.O);
        Assert.That((await admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload.GetProperty("AccountId").GetInt32(), Is.Zero);
        var again = await admin.CallAsync("RemoveUserAccount", $"{{\"accountId\":{accountId},\"userId\":{userId}}}");
        Assert.That(again.O, Is.EqualTo($"{{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":\"user {userId} is not assigned to account {accountId}\"}}"));

        var log = await admin.CallAsync("GetAuditLog", "{\"Function\":\"removeuseraccount\",\"Limit\":5}");
        Assert.That(log.Payload.GetArrayLength(), Is.EqualTo(1));
        Assert.That(log.Payload[0].GetProperty("Change").GetString(), Is.EqualTo($"user {userId} unlinked from account {accountId}"));
        Assert.That(log.Payload[0].GetProperty("UserId").GetInt32(), Is.EqualTo(1));
        Assert.That((await admin.CallAsync("Ping", "{\"OMSId\":2}")).O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":\"OMSId 2 does not exist; this gateway hosts OMS 1\"}"));
    }
}
