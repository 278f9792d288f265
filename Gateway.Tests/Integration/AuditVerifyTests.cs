using System.Net;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>VerifyAuditLog on a host of its own per test: the chain holds after real writes, and an edit to the file is named.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class AuditVerifyTests
{
    /// <summary>A write of every kind, over the socket and the accountUsers resource; returns the Id of the AddUserPermission record.</summary>
    private static async Task<long> ScenarioAsync(TestHost host, TestClient admin)
    {
        var external = Unique("ext");
        var userId = await admin.CreateUserAsync(Unique("verify"));
        Assert.That((await admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "AccountReadOnly" }))).O, Is.EqualTo(Std.Ok));
        var granted = (await admin.AuditAsync(new { Function = "AddUserPermission", Limit = 1 }))[0].GetProperty("Id").GetInt64();
        Assert.That((await admin.CallAsync("RevokeUserPermission", Json(new { UserId = userId, Permission = "Deposit" }))).O, Is.EqualTo(Std.Ok));
        var accountId = await admin.AddAccountAsync();
        await admin.LinkAsync(userId, accountId);
        Assert.That((await admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = "v_" + Guid.NewGuid().ToString("N")[..12] }))).O, Is.EqualTo(Std.Ok));
        var key = await admin.AddKeyAsync(userId, "Trading");
        Assert.That((await admin.CallAsync("RemoveUserAPIKey", Json(new { UserId = userId, APIKey = key.Key }))).O, Is.EqualTo(Std.Ok));
        Assert.That((await admin.CallAsync("SetUserInfo", Json(new { UserId = userId, ExternalUserId = external }))).ErrorCode(), Is.Zero);
        var token = await host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
        var moved = await host.PostAsync($"/accounts/{await admin.AddAccountAsync()}/accountUsers", Json(new { OrverrideExistingMembership = true, ExternalUserId = external }), token);
        Assert.That(moved.Status, Is.EqualTo(HttpStatusCode.Created), moved.ToString());
        return granted;
    }

    [Test]
    public async Task VerifyAuditLog_AfterEveryKindOfWrite_AnswersRowsLastIdAndTheNewestHash()
    {
        await using var host = await TestHost.StartAsync();
        using var admin = await host.ConnectAdminAsync();
        await ScenarioAsync(host, admin);
        var newest = (await admin.AuditAsync(new { Limit = 1 }))[0];
        var rows = await host.ScalarAsync<long>("SELECT count(*) FROM audit_log");

        var reply = await admin.CallAsync("VerifyAuditLog");

        Assert.That(reply.O, Is.EqualTo(
            $"{{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"Rows\":{rows},\"LastId\":{newest.GetProperty("Id").GetInt64()},\"Head\":\"{newest.GetProperty("Hash").GetString()}\"}}"));
        Assert.That(rows, Is.EqualTo(13), "two logins and eleven writes");
    }

    [Test]
    public async Task VerifyAuditLog_PayloadEditedInTheDatabaseFile_Answers101AndAdminVerifyAuditExits1NamingThatRow()
    {
        await using var host = await TestHost.StartAsync();
        using var admin = await host.ConnectAdminAsync();
        var granted = await ScenarioAsync(host, admin);
        Assert.That((await admin.CallAsync("VerifyAuditLog")).ErrorCode(), Is.Zero);

        var tool = await SqliteCli.EditAsync(host.DatabasePath(),
            $"UPDATE audit_log SET Payload = '{{\"UserId\":2,\"Permission\":\"Operator\"}}' WHERE Id = {granted};");
        TestContext.Out.WriteLine($"audit row {granted} edited with {tool}");

        Assert.That((await admin.CallAsync("VerifyAuditLog")).O, Is.EqualTo(Std.Error(101, $"audit row {granted} does not match its hash")));
        Assert.That((await admin.CallAsync("VerifyAuditLog")).O, Is.EqualTo(Std.Error(101, $"audit row {granted} does not match its hash")),
            "the gateway's own later writes do not hide the edit");
        await host.StopAsync();
        var verify = await GatewayCommand.AdminAsync(host.DatabasePath(), ["verify-audit"]);
        Assert.That(verify.ExitCode, Is.EqualTo(1), verify.ToString());
        Assert.That(verify.ErrorLines, Is.EqualTo(new[] { $"database {TestProvider.Describe(host.DatabasePath())} fails verification: audit row {granted} does not match its hash" }), verify.ToString());
    }

    [Test]
    public async Task VerifyAuditLog_NotOperator_Answers20()
    {
        await using var host = await TestHost.StartAsync();
        using var admin = await host.ConnectAdminAsync();
        var (user, _) = await host.ConnectNewUserAsync(admin);
        using var _ = user;

        Assert.That((await user.CallAsync("VerifyAuditLog")).ErrorCode(), Is.EqualTo(20));
    }
}
