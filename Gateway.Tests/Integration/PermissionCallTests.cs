using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>AddUserPermission (seed 002), RevokeUserPermission, GetUserPermissions and GetAvailablePermissionList.</summary>
[TestFixture]
public sealed class PermissionCallTests : AdminFixture
{
    private const string Defaults = "[\"Deposit\",\"Trading\",\"Withdraw\"]";

    private static readonly string[] UmbrellaAndUserCallNames =
    [
        "AccountReadOnly", "Deposit", "Operator", "Trading", "Withdraw", "CreateUser", "GetUserInfo", "SetUserInfo", "UnLockUser",
        "AddUserPermission", "RevokeUserPermission", "GetUserPermissions", "GetAvailablePermissionList",
    ];

    private static readonly string[] NotHeldByDelegate = ["Operator", "AccountReadOnly", "CreateUser"];

    private Task<int> NewUserAsync() => Admin.CreateUserAsync("perm-" + Guid.NewGuid().ToString("N")[..10]);

    private async Task<string> PermissionsOfAsync(int userId) => (await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O;

    [TestCase("")]
    [TestCase(",\"Value\":1")]
    [TestCase(",\"Value\":null")]
    public async Task AddUserPermission_ValueOneOrMissing_GrantsAndAuditsOnce(string value)
    {
        var userId = await NewUserAsync();
        var before = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"{value}}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await PermissionsOfAsync(userId), Is.EqualTo("[\"AccountReadOnly\",\"Deposit\",\"Trading\",\"Withdraw\"]"));
        var record = await Audit.AssertOneRecordAsync(Host, Admin, before, "AddUserPermission");
        Assert.That(record.GetProperty("Payload").GetProperty("Permission").GetString(), Is.EqualTo("AccountReadOnly"));
    }

    [Test]
    public async Task AddUserPermission_ValueZero_Revokes()
    {
        var userId = await NewUserAsync();

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Deposit\",\"Value\":0}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await PermissionsOfAsync(userId), Is.EqualTo("[\"Trading\",\"Withdraw\"]"));
    }

    [TestCase(2)]
    [TestCase(-1)]
    public async Task AddUserPermission_OtherValue_Answers100AndChangesNothing(int value)
    {
        var userId = await NewUserAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\",\"Value\":{value}}}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserPermission_NameInOtherCase_IsStoredCanonically()
    {
        var userId = await NewUserAsync();

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"aCCOUNTrEADoNLY\"}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.ScalarAsync<string>("SELECT Permission FROM user_permissions WHERE UserId = @userId AND lower(Permission) LIKE 'account%'", new { userId }),
            Is.EqualTo("AccountReadOnly"));
    }

    [Test]
    public async Task AddUserPermission_UnknownName_Answers100AndChangesNothing()
    {
        var userId = await NewUserAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"FlyToTheMoon\"}}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task AddUserPermission_AlreadyHeld_IsANoOpSuccess()
    {
        var userId = await NewUserAsync();

        var reply = await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"trading\",\"Value\":1}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await PermissionsOfAsync(userId), Is.EqualTo(Defaults));
    }

    [Test]
    public async Task AddUserPermission_UnknownUser_Answers104()
    {
        var reply = await Admin.CallAsync("AddUserPermission", "{\"UserId\":999999,\"Permission\":\"Trading\"}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":"));
    }

    [Test]
    public async Task AddUserPermission_DelegateGrantingWhatItDoesNotHold_Answers20AndChangesNothing()
    {
        // A user holding the per-call permission AddUserPermission may grant only what it holds itself.
        var (delegate_, delegateId) = await Host.ConnectNewUserAsync(Admin);
        using (delegate_)
        {
            Assert.That((await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{delegateId},\"Permission\":\"AddUserPermission\"}}")).O, Is.EqualTo(Std.Ok));
            var targetId = await NewUserAsync();
            var before = await Host.SnapshotAsync();

            foreach (var permission in NotHeldByDelegate)
            {
                var refused = await delegate_.CallAsync("AddUserPermission", $"{{\"UserId\":{targetId},\"Permission\":\"{permission}\"}}");
                Assert.That(refused.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":"), permission);
            }

            Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
            var held = await delegate_.CallAsync("AddUserPermission", $"{{\"UserId\":{targetId},\"Permission\":\"AddUserPermission\"}}");
            Assert.That(held.O, Is.EqualTo(Std.Ok), "a delegate may pass on what it holds");
        }
    }

    [Test]
    public async Task RevokeUserPermission_Held_RevokesAndAuditsOnce()
    {
        var userId = await NewUserAsync();
        var before = await Audit.CountAsync(Host);

        var reply = await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"withdraw\"}}");

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await PermissionsOfAsync(userId), Is.EqualTo("[\"Deposit\",\"Trading\"]"));
        await Audit.AssertOneRecordAsync(Host, Admin, before, "RevokeUserPermission");
    }

    [Test]
    public async Task RevokeUserPermission_NotHeld_Answers104AndChangesNothing()
    {
        var userId = await NewUserAsync();
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task RevokeUserPermission_OperatorOwnOperator_IsRefusedAndOperatorKept()
    {
        var before = await Host.SnapshotAsync();

        var reply = await Admin.CallAsync("RevokeUserPermission", "{\"UserId\":1,\"Permission\":\"Operator\"}");

        Assert.That(reply.O, Does.StartWith("{\"result\":false,\"errormsg\":\"Operation Failed\",\"errorcode\":101,\"detail\":"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        Assert.That((await Admin.CallAsync("GetAvailablePermissionList", "{}")).ErrorCode(), Is.Zero, "admin is still an operator");
    }

    [Test]
    public async Task GetUserInfo_HolderOfItsPerCallPermission_MayReadAnotherUser()
    {
        var (reader, readerId) = await Host.ConnectNewUserAsync(Admin);
        using (reader)
        {
            var otherId = await NewUserAsync();
            Assert.That((await reader.CallAsync("GetUserInfo", $"{{\"UserId\":{otherId}}}")).ErrorCode(), Is.EqualTo(20));
            await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{readerId},\"Permission\":\"GetUserInfo\"}}");

            var reply = await reader.CallAsync("GetUserInfo", $"{{\"UserId\":{otherId}}}");

            Assert.That(reply.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(otherId), reply.O);
        }
    }

    [Test]
    public async Task SetUserInfo_AccountReadOnlyWithoutTrading_ReadsItselfButMayNotWrite()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using (user)
        {
            await Admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}");
            await Admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Trading\"}}");
            var before = await Host.SnapshotAsync();

            var write = await user.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"FirstName\":\"Ann\"}}");

            Assert.That(write.ErrorCode(), Is.EqualTo(20), write.O);
            Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
            Assert.That((await user.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        }
    }

    [Test]
    public async Task GetUserPermissions_EmptyPayload_AnswersTheCallersNames()
    {
        var (user, _) = await Host.ConnectNewUserAsync(Admin);
        using (user)
            Assert.That((await user.CallAsync("GetUserPermissions", "{}")).O, Is.EqualTo(Defaults));
    }

    [Test]
    public async Task GetAvailablePermissionList_Operator_UmbrellasAndEveryPrivateCallSortedOrdinally()
    {
        var reply = await Admin.CallAsync("GetAvailablePermissionList", "{}");

        var names = reply.Payload.EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.That(names, Is.EqualTo(names.Order(StringComparer.Ordinal).ToList()), reply.O);
        Assert.That(names, Is.Unique);
        Assert.That(names, Is.SupersetOf(UmbrellaAndUserCallNames));
        Assert.That(names, Has.None.AnyOf("Ping", "HealthCheck", "AuthenticateUser", "WebAuthenticateUser", "LogOut"), "public calls have no permission");
    }
}
