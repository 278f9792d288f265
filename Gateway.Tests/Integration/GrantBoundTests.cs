using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// No one gives more than its session holds: a delegate cannot mint an Operator key for admin, a key cannot mint a
/// wider key, and a key without Operator cannot touch the second factor that guards the password.
/// </summary>
[TestFixture]
public sealed class GrantBoundTests : AdminFixture
{
    private const string Password = "password-123";

    [Test]
    public async Task AddUserAPIKey_DelegateHoldingOnlyTheCall_CannotMintOperatorOrAnyPermissionItLacksForAdmin()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using var _ = user;
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "AddUserAPIKey" }))).ErrorCode(), Is.Zero);
        var keysBefore = (await Admin.CallAsync("GetUserAPIKeys", "{\"UserId\":1}")).O;

        var asOperator = await user.CallAsync("AddUserAPIKey", KeyRequest(1, "Operator"));
        var asLacking = await user.CallAsync("AddUserAPIKey", KeyRequest(1, "AccountReadOnly"));
        var asCreateUser = await user.CallAsync("AddUserAPIKey", KeyRequest(1, "Trading", "CreateUser"));

        Assert.That(asOperator.O, Is.EqualTo(Std.Error(20, "You cannot give a key Operator: this session does not hold it")));
        Assert.That(asLacking.ErrorCode(), Is.EqualTo(20), asLacking.O);
        Assert.That(asCreateUser.ErrorCode(), Is.EqualTo(20), asCreateUser.O);
        Assert.That((await Admin.CallAsync("GetUserAPIKeys", "{\"UserId\":1}")).O, Is.EqualTo(keysBefore), "a key was added for admin");
    }

    [Test]
    public async Task AddUserAPIKey_SessionOfATradingOnlyKey_CannotMintAWiderKey()
    {
        var (user, userId) = await Host.ConnectNewUserAsync(Admin);
        using var _ = user;
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "AccountReadOnly" }))).ErrorCode(), Is.Zero);
        var narrow = await user.AddKeyAsync(userId, "Trading");
        using var keySocket = await LoginWithKeyAsync(narrow);

        var wider = await keySocket.CallAsync("AddUserAPIKey", KeyRequest(null, "Trading", "Deposit", "Withdraw", "AccountReadOnly"));
        var same = await keySocket.CallAsync("AddUserAPIKey", KeyRequest(null, "Trading"));

        Assert.That(wider.ErrorCode(), Is.EqualTo(20), wider.O);
        Assert.That(wider.Payload.GetProperty("detail").GetString(), Does.Contain("this session does not hold it"));
        Assert.That(same.ErrorCode(), Is.Zero, "a key may mint a key as narrow as itself: " + same.O);
        var keys = (await user.CallAsync("GetUserAPIKeys")).Payload.EnumerateArray().Select(k => k.GetProperty("Permissions").GetRawText()).ToList();
        Assert.That(keys, Is.All.EqualTo("[\"Trading\"]"), "a wider key exists");
    }

    [Test]
    public async Task AddUserPermission_SessionOfAKeyWithoutOperator_CannotGrantWhatTheKeyLacks()
    {
        var operatorKey = await Admin.AddKeyAsync(1, "AddUserPermission", "Trading");
        using var keySocket = await LoginWithKeyAsync(operatorKey);
        var target = await Admin.CreateUserAsync(AccountSteps.Unique("grantee"));

        var operatorGrant = await keySocket.CallAsync("AddUserPermission", Json(new { UserId = target, Permission = "Operator" }));
        var tradingGrant = await keySocket.CallAsync("AddUserPermission", Json(new { UserId = target, Permission = "AccountReadOnly" }));

        Assert.That(operatorGrant.O, Is.EqualTo(Std.Error(20, "You cannot grant Operator: this session does not hold it")));
        Assert.That(tradingGrant.ErrorCode(), Is.EqualTo(20), tradingGrant.O);
        Assert.That((await Admin.CallAsync("GetUserPermissions", Json(new { UserId = target }))).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
    }

    [TestCase("Disable2FA")]
    [TestCase("EnableGoogle2FA")]
    public async Task TwoFactorChange_SessionOfAnAccountReadOnlyKey_Answers20AndPasswordStillNeedsTheCode(string function)
    {
        var name = AccountSteps.Unique("tfa-key");
        var (user, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using var _ = user;
        Assert.That((await Admin.CallAsync("AddUserPermission", Json(new { UserId = userId, Permission = "AccountReadOnly" }))).ErrorCode(), Is.Zero);
        Assert.That((await user.CallAsync("EnableGoogle2FA")).ErrorCode(), Is.Zero);
        var readOnly = await user.AddKeyAsync(userId, "AccountReadOnly");
        using var keySocket = await LoginWithKeyAsync(readOnly);

        var reply = await keySocket.CallAsync(function);

        Assert.That(reply.ErrorCode(), Is.EqualTo(20), reply.O);
        Assert.That(reply.Payload.GetProperty("detail").GetString(), Does.Contain("an API key cannot change two-factor login"));
        using var fresh = await Host.ConnectAsync();
        var login = await fresh.AuthenticateAsync(name, Password);
        Assert.That(login.GetProperty("Requires2FA").GetBoolean(), Is.True, "the password alone logs in: " + login);
    }

    [Test]
    public async Task TwoFactorChange_OwnPasswordSession_StillWorks()
    {
        var (user, _) = await Host.ConnectNewUserAsync(Admin);
        using var __ = user;

        Assert.That((await user.CallAsync("EnableGoogle2FA")).ErrorCode(), Is.Zero);
        Assert.That((await user.CallAsync("Disable2FA")).ErrorCode(), Is.Zero);
    }

    private async Task<TestClient> LoginWithKeyAsync(TestApiKey key)
    {
        var socket = await Host.ConnectAsync();
        var login = await socket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        Assert.That(login.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login.O);
        return socket;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string KeyRequest(int? userId, params string[] permissions) =>
        userId is { } id ? Json(new { UserId = id, Permissions = permissions }) : Json(new { Permissions = permissions });
}
