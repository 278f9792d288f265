using System.Diagnostics;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// Another process holding the database's write lock: a write call answers 102 within its budget, a login call its own
/// failure shape with the 102 text, <c>/health</c> answers 503, and all work again once the lock is released.
/// </summary>
[TestFixture]
public sealed class BusyDatabaseTests : HostFixture
{
    private const string GrantTrading = "{\"UserId\":1,\"Permission\":\"Trading\"}";
    private const string HoldsTradingSql = "SELECT count(*) FROM user_permissions WHERE UserId = 1 AND Permission = 'Trading'";

    [Test]
    [CancelAfter(40_000)]
    public async Task Health_DatabaseLockedByAnotherConnection_Answers503ThenOkAfterRelease(CancellationToken ct)
    {
        HttpReply busy;
        await using (var blocker = await WriteLockHolder.TakeAsync(Host.DatabasePath()))
        {
            busy = await Host.GetAsync("/health");
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(busy.Status, Is.EqualTo(System.Net.HttpStatusCode.ServiceUnavailable), busy.ToString());
        Assert.That(busy.Json.GetProperty("detail").GetString(), Is.EqualTo("database busy"));
        Assert.That(busy.Json.GetProperty("Database").GetString(), Is.EqualTo("busy"));
        var ok = await Host.GetAsync("/health");
        Assert.That(ok.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), ok.ToString());
        Assert.That(ok.Json.GetProperty("Database").GetString(), Is.EqualTo("ok"));
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task AddUserPermission_DatabaseLockedByAnotherConnection_Answers102ThenSucceedsAfterRelease(CancellationToken ct)
    {
        // Logging in writes a session row, so it happens before the lock is taken.
        using var admin = await Host.ConnectAdminAsync();

        ReplyFrame refused;
        TimeSpan elapsed;
        await using (var blocker = await WriteLockHolder.TakeAsync(Host.DatabasePath()))
        {
            var clock = Stopwatch.StartNew();
            refused = await admin.CallAsync("AddUserPermission", GrantTrading, timeout: TimeSpan.FromSeconds(8));
            elapsed = clock.Elapsed;
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(refused.M, Is.EqualTo(1));
        Assert.That(refused.O, Is.EqualTo(
            "{\"result\":false,\"errormsg\":\"Server Error\",\"errorcode\":102,\"detail\":\"" + Failures.ServerFault + "\"}"));
        Assert.That(refused.Raw, Does.Not.Contain("SQLite").IgnoreCase
            .And.Not.Contain("locked").IgnoreCase
            .And.Not.Contain("INSERT").IgnoreCase
            .And.Not.Contain(Host.DataDir.FullName));
        Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(8)));
        Assert.That(await Host.ScalarAsync<long>(HoldsTradingSql), Is.Zero, "the refused grant was applied");

        var accepted = await admin.CallAsync("AddUserPermission", GrantTrading);

        Assert.That(accepted.O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
        Assert.That(await Host.ScalarAsync<long>(HoldsTradingSql), Is.EqualTo(1));
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task AuthenticateUser_DatabaseLockedByAnotherConnection_AnswersTheLoginFailureShapeWithTheServerErrorText(CancellationToken ct)
    {
        using var client = await Host.ConnectAsync();
        var credentials = JsonSerializer.Serialize(new { UserName = "admin", Password = TestHost.AdminPassword });

        ReplyFrame refused;
        await using (var blocker = await WriteLockHolder.TakeAsync(Host.DatabasePath()))
        {
            refused = await client.CallAsync("AuthenticateUser", credentials, timeout: TimeSpan.FromSeconds(8));
            await blocker.Transaction.RollbackAsync(ct);
        }

        Assert.That(refused.M, Is.EqualTo(1));
        Assert.That(refused.O, Is.EqualTo("{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"" + Failures.ServerFault + "\"}"));
        var login = refused.Payload;
        Assert.That(login.GetProperty("Authenticated").GetBoolean(), Is.False);
        Assert.That(login.GetProperty("errormsg").GetString(), Is.EqualTo(Failures.ServerFault));
        Assert.That(login.TryGetProperty("errorcode", out _), Is.False, "the login shape, not the standard response");
        Assert.That((await client.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20), "no session was opened");

        Assert.That((await client.CallAsync("AuthenticateUser", credentials)).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
    }

    [Test]
    [CancelAfter(40_000)]
    public async Task WebAuthenticateUserAndAuthenticate2FA_DatabaseLockedByAnotherConnection_AnswerTheirFailureShapeWithTheServerErrorText(CancellationToken ct)
    {
        using var admin = await Host.ConnectAdminAsync();
        var (enrolled, _) = await Host.ConnectNewUserAsync(admin, "busy2fa-" + Guid.NewGuid().ToString("N")[..8], "password-123");
        var secret = (await enrolled.CallAsync("EnableGoogle2FA")).Payload.GetProperty("ManualCode").GetString()!;
        var enrolledName = (await enrolled.CallAsync("GetUserInfo")).Payload.GetProperty("UserName").GetString()!;
        enrolled.Dispose();
        using var web = await Host.ConnectAsync();
        using var second = await Host.ConnectAsync();

        ReplyFrame webReply, codeReply;
        // The password step counts its attempt in the database, so it is made before the database is locked.
        var pending = await second.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { UserName = enrolledName, Password = "password-123" }));
        Assert.That(pending.Payload.GetProperty("Requires2FA").GetBoolean(), Is.True, pending.O);
        await using (var blocker = await WriteLockHolder.TakeAsync(Host.DatabasePath()))
        {
            var replies = await Task.WhenAll(
                web.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { UserName = "admin", Password = TestHost.AdminPassword }), timeout: TimeSpan.FromSeconds(15)),
                second.CallAsync("Authenticate2FA", JsonSerializer.Serialize(new { Code = TotpCodes.At(secret, DateTimeOffset.UtcNow) }), timeout: TimeSpan.FromSeconds(15)));
            (webReply, codeReply) = (replies[0], replies[1]);
            await blocker.Transaction.RollbackAsync(ct);
        }

        var expected = "{\"Authenticated\":false,\"errormsg\":\"" + Failures.ServerFault + "\"}";
        Assert.That(webReply.O, Is.EqualTo(expected));
        Assert.That(codeReply.O, Is.EqualTo(expected));
        Assert.That((await web.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { UserName = "admin", Password = TestHost.AdminPassword }))).Payload
            .GetProperty("Authenticated").GetBoolean(), Is.True);
    }
}
