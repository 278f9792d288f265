using System.Globalization;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// Every login, session, user and permission call against an anonymous socket, a Trading user acting on itself, the
/// same user acting on another user, and the operator (calls.md "Who may call what"). A refused call answers 20 and
/// leaves the database as it was.
/// </summary>
[TestFixture]
public sealed class AuthorizationMatrixTests : AdminFixture
{
    private const string Password = "password-123";
    private const string NotAuthorizedPrefix = "{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"";
    private const string StdOk = "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}";

    public enum Caller
    {
        Anonymous,
        TradingSelf,
        TradingOther,
        Operator,
    }

    // Placeholders: {user}/{userName} the Trading user, {other}/{otherName} a second user, {admin} the operator's password,
    // {new} a fresh user name. Trading callers are {user}; the operator and anonymous sockets act on {user}.
    private static IEnumerable<TestCaseData> Cells()
    {
        const string create = "{\"UserInfo\":{\"UserName\":\"{new}\",\"Password\":\"password-123\"}}";
        const string userLogin = "{\"UserName\":\"{userName}\",\"Password\":\"password-123\"}";
        const string otherLogin = "{\"UserName\":\"{otherName}\",\"Password\":\"password-123\"}";
        const string adminLogin = "{\"UserName\":\"admin\",\"Password\":\"{admin}\"}";
        (Caller, string, string, bool)[] cells =
        [
            (Caller.Anonymous, "CreateUser", create, false),
            (Caller.Anonymous, "GetUserInfo", "{\"UserId\":{user}}", false),
            (Caller.Anonymous, "SetUserInfo", "{\"UserId\":{user},\"FirstName\":\"Changed\"}", false),
            (Caller.Anonymous, "UnLockUser", "{\"UserId\":{user}}", false),
            (Caller.Anonymous, "AuthenticateUser", userLogin, true),
            (Caller.Anonymous, "WebAuthenticateUser", userLogin, true),
            (Caller.Anonymous, "LogOut", "{}", true),
            (Caller.Anonymous, "AddUserPermission", "{\"UserId\":{user},\"Permission\":\"AccountReadOnly\"}", false),
            (Caller.Anonymous, "RevokeUserPermission", "{\"UserId\":{user},\"Permission\":\"Trading\"}", false),
            (Caller.Anonymous, "GetUserPermissions", "{\"UserId\":{user}}", false),
            (Caller.Anonymous, "GetAvailablePermissionList", "{}", false),

            (Caller.TradingSelf, "CreateUser", create, false),
            (Caller.TradingSelf, "GetUserInfo", "{\"UserId\":{user}}", true),
            (Caller.TradingSelf, "SetUserInfo", "{\"UserId\":{user},\"FirstName\":\"Changed\"}", true),
            (Caller.TradingSelf, "SetUserInfo", "{\"UserId\":{user},\"EmailVerified\":true}", false),
            (Caller.TradingSelf, "UnLockUser", "{\"UserId\":{user}}", false),
            (Caller.TradingSelf, "AuthenticateUser", userLogin, true),
            (Caller.TradingSelf, "WebAuthenticateUser", userLogin, true),
            (Caller.TradingSelf, "LogOut", "{}", true),
            (Caller.TradingSelf, "AddUserPermission", "{\"UserId\":{user},\"Permission\":\"Trading\"}", false),
            (Caller.TradingSelf, "AddUserPermission", "{\"UserId\":{user},\"Permission\":\"Operator\"}", false),
            (Caller.TradingSelf, "RevokeUserPermission", "{\"UserId\":{user},\"Permission\":\"Deposit\"}", false),
            (Caller.TradingSelf, "GetUserPermissions", "{\"UserId\":{user}}", true),
            (Caller.TradingSelf, "GetAvailablePermissionList", "{}", false),

            (Caller.TradingOther, "CreateUser", create, false),
            (Caller.TradingOther, "GetUserInfo", "{\"UserId\":{other}}", false),
            (Caller.TradingOther, "GetUserInfo", "{\"UserName\":\"{otherName}\"}", false),
            (Caller.TradingOther, "SetUserInfo", "{\"UserId\":{other},\"FirstName\":\"Changed\"}", false),
            (Caller.TradingOther, "UnLockUser", "{\"UserId\":{other}}", false),
            (Caller.TradingOther, "AuthenticateUser", otherLogin, true),
            (Caller.TradingOther, "WebAuthenticateUser", otherLogin, true),
            (Caller.TradingOther, "LogOut", "{\"UserId\":{other}}", true),
            (Caller.TradingOther, "AddUserPermission", "{\"UserId\":{other},\"Permission\":\"Trading\"}", false),
            (Caller.TradingOther, "RevokeUserPermission", "{\"UserId\":{other},\"Permission\":\"Trading\"}", false),
            (Caller.TradingOther, "GetUserPermissions", "{\"UserId\":{other}}", false),
            (Caller.TradingOther, "GetUserPermissions", "{\"UserName\":\"{otherName}\"}", false),
            (Caller.TradingOther, "GetAvailablePermissionList", "{}", false),

            (Caller.Operator, "CreateUser", create, true),
            (Caller.Operator, "GetUserInfo", "{\"UserId\":{user}}", true),
            (Caller.Operator, "SetUserInfo", "{\"UserId\":{user},\"FirstName\":\"Changed\",\"EmailVerified\":true}", true),
            (Caller.Operator, "UnLockUser", "{\"UserId\":{user}}", true),
            (Caller.Operator, "AuthenticateUser", adminLogin, true),
            (Caller.Operator, "WebAuthenticateUser", adminLogin, true),
            (Caller.Operator, "LogOut", "{}", true),
            (Caller.Operator, "AddUserPermission", "{\"UserId\":{user},\"Permission\":\"AccountReadOnly\"}", true),
            (Caller.Operator, "RevokeUserPermission", "{\"UserId\":{user},\"Permission\":\"Trading\"}", true),
            (Caller.Operator, "GetUserPermissions", "{\"UserId\":{user}}", true),
            (Caller.Operator, "GetAvailablePermissionList", "{}", true),
        ];
        var seen = new HashSet<string>();
        foreach (var (caller, function, payload, allowed) in cells)
        {
            var name = $"{function}_By{caller}_{(allowed ? "IsServed" : "AnswersNotAuthorizedAndChangesNothing")}";
            for (var n = 2; !seen.Add(name); n++)
                name = $"{function}_By{caller}Variant{n}_{(allowed ? "IsServed" : "AnswersNotAuthorizedAndChangesNothing")}";
            yield return new TestCaseData(caller, function, payload, allowed).SetName(name);
        }
    }

    [TestCaseSource(nameof(Cells))]
    [CancelAfter(60_000)]
    public async Task Call_ByCaller_AnswersAsCallsMdSays(Caller caller, string function, string payloadTemplate, bool allowed)
    {
        var userName = "matrix-" + Guid.NewGuid().ToString("N")[..10];
        var otherName = "matrix-other-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await Admin.CreateUserAsync(userName, Password);
        var otherId = await Admin.CreateUserAsync(otherName, Password);
        using var other = await Host.ConnectAsync();
        await other.LoginAsync(otherName, Password);
        using var client = await Host.ConnectAsync();
        if (caller == Caller.Operator)
            await client.LoginAsync("admin", TestHost.AdminPassword);
        else if (caller != Caller.Anonymous)
            await client.LoginAsync(userName, Password);

        var payload = payloadTemplate.Replace("{user}", userId.ToString(CultureInfo.InvariantCulture)).Replace("{userName}", userName)
            .Replace("{other}", otherId.ToString(CultureInfo.InvariantCulture)).Replace("{otherName}", otherName)
            .Replace("{admin}", TestHost.AdminPassword).Replace("{new}", "matrix-new-" + Guid.NewGuid().ToString("N")[..10]);
        var before = await Host.SnapshotAsync();

        var reply = await client.CallAsync(function, payload);

        if (allowed)
        {
            AssertServed(function, reply, caller switch { Caller.Operator => 1, Caller.TradingOther => otherId, _ => userId }, userId);
        }
        else
        {
            if (caller == Caller.Anonymous)
                Assert.That(reply.O, Is.EqualTo(NotAuthorizedPrefix + "Not logged in\"}"));
            else
                Assert.That(reply.O, Does.StartWith(NotAuthorizedPrefix).And.EndWith("\"}").And.Length.GreaterThan(NotAuthorizedPrefix.Length + 2));
            Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before), $"{function} was refused but changed the database");
        }
        // Nothing a caller does on its own socket touches another user's session.
        var stillServed = await other.CallAsync("GetUserInfo", "{}");
        Assert.That(stillServed.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(otherId), stillServed.O);
    }

    // What each call answers on success (calls.md): a login names loginUserId, a user lookup or change names targetId.
    private static void AssertServed(string function, ReplyFrame reply, int loginUserId, int targetId)
    {
        var payload = reply.Payload;
        switch (function)
        {
            case "CreateUser":
                Assert.That(reply.O, Does.Match("^\\{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"UserId\":\\d+\\}$"));
                break;
            case "GetUserInfo" or "SetUserInfo":
                Assert.That(payload.GetProperty("UserId").GetInt32(), Is.EqualTo(targetId), reply.O);
                break;
            case "UnLockUser" or "LogOut" or "AddUserPermission" or "RevokeUserPermission":
                Assert.That(reply.O, Is.EqualTo(StdOk));
                break;
            case "AuthenticateUser":
                Assert.That(payload.GetProperty("Authenticated").GetBoolean(), Is.True, reply.O);
                Assert.That(payload.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(loginUserId), reply.O);
                break;
            case "WebAuthenticateUser":
                Assert.That(payload.GetProperty("Authenticated").GetBoolean(), Is.True, reply.O);
                Assert.That(payload.GetProperty("UserId").GetInt32(), Is.EqualTo(loginUserId), reply.O);
                break;
            case "GetUserPermissions":
                Assert.That(reply.O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
                break;
            case "GetAvailablePermissionList":
                Assert.That(payload.ValueKind, Is.EqualTo(JsonValueKind.Array), reply.O);
                Assert.That(payload.EnumerateArray().Select(p => p.GetString()), Does.Contain("Operator").And.Contain("AddUserPermission"));
                break;
            default:
                Assert.Fail($"no success check for {function}");
                break;
        }
    }
}
