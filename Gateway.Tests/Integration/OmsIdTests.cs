using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>OMSId: accepted on every call, absent or 0 means 1, any other value answers 104.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class OmsIdTests : AdminFixture
{
    private static readonly string OtherOms = Std.Error(104, "OMSId 2 does not exist; this gateway hosts OMS 1");

    private static readonly string[] AccountLinkTagAndAuditCalls =
    [
        "AddAccount", "GetAccountInfo", "GetUserAccounts", "GetUserAccountInfos", "GetAccountUsers", "AddUserAccount", "RemoveUserAccount",
        "AddUserAffiliateTag", "GetUserAffiliateTag", "UpdateUserAffiliateTag", "RemoveUserAffiliateTag", "GetUserAffiliateCount", "GetAuditLog",
    ];

    /// <summary>A valid payload for <paramref name="function"/> on fresh rows, with <c>OMSId</c> as given (null: no key).</summary>
    private async Task<string> PayloadAsync(string function, int? omsId)
    {
        var userId = await Admin.CreateUserAsync(Unique("oms"));
        var accountId = await Admin.AddAccountAsync();
        var tag = "t_" + Guid.NewGuid().ToString("N")[..12];
        if (function is "RemoveUserAccount")
            await Admin.LinkAsync(userId, accountId);
        if (function is "UpdateUserAffiliateTag" or "RemoveUserAffiliateTag")
            Assert.That((await Admin.CallAsync("AddUserAffiliateTag", Json(new { userId, affiliateTag = tag }))).O, Is.EqualTo(Std.Ok));
        object payload = function switch
        {
            "AddAccount" => new { AccountName = "Oms", AccountHandle = Unique("oms") },
            "GetAccountInfo" or "GetAccountUsers" => new { AccountId = accountId },
            "GetUserAccounts" or "GetUserAccountInfos" or "GetUserAffiliateTag" or "GetUserAffiliateCount" or "RemoveUserAffiliateTag" => new { UserId = userId },
            "AddUserAccount" or "RemoveUserAccount" => new { accountId, userId },
            "AddUserAffiliateTag" => new { userId, affiliateTag = tag },
            "UpdateUserAffiliateTag" => new { userId, affiliateTag = tag + "x" },
            "GetAuditLog" => new { Limit = 1 },
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        };
        var json = JsonSerializer.SerializeToNode(payload)!.AsObject();
        if (omsId is not null)
            json["omsId"] = omsId;
        return json.ToJsonString();
    }

    [Test]
    public async Task AccountLinkTagAndAuditCalls_OMSIdOneZeroOrAbsent_AreAccepted([ValueSource(nameof(AccountLinkTagAndAuditCalls))] string function, [Values(1, 0, null)] int? omsId)
    {
        var reply = await Admin.CallAsync(function, await PayloadAsync(function, omsId));

        Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
        if (function == "AddAccount")
            Assert.That(reply.Payload.GetProperty("Success").GetBoolean(), Is.True, reply.O);
        else if (reply.Payload.ValueKind == JsonValueKind.Object && reply.Payload.TryGetProperty("result", out _))
            Assert.That(reply.O, Is.EqualTo(Std.Ok));
    }

    [Test]
    public async Task AccountLinkTagAndAuditCalls_OtherOMSId_Answer104AndChangeNothing([ValueSource(nameof(AccountLinkTagAndAuditCalls))] string function)
    {
        var payload = await PayloadAsync(function, 2);
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync(function, payload);

        Assert.That(reply.O, Is.EqualTo(OtherOms));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task EveryCall_OMSIdTwo_Answers104AndChangesNothing()
    {
        var names = (await Admin.CallAsync("GetAvailablePermissionList", "{}")).Payload.EnumerateArray()
            .Select(n => n.GetString()!)
            .Where(n => n is not ("Operator" or "Trading" or "Deposit" or "Withdraw" or "AccountReadOnly") && !n.StartsWith("Test", StringComparison.Ordinal))
            .Concat(["Ping", "HealthCheck", "AuthenticateUser", "WebAuthenticateUser", "LogOut"])
            .ToList();
        Assert.That(names, Is.SupersetOf(AccountLinkTagAndAuditCalls.Append("CreateUser")));
        var before = await Host.SnapshotAsync();

        foreach (var name in names)
        {
            var reply = await Admin.CallAsync(name, "{\"OMSId\":2}");
            Assert.That(reply.O, Is.EqualTo(OtherOms), name);
        }

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await Admin.CallAsync("GetUserInfo", "{\"OMSId\":1}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(1), "LogOut was refused too");
    }
}
