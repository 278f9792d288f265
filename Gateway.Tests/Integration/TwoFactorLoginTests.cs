using Gateway.Core.Dispatch;
using System.Text.Json;
using Gateway.Core.Handlers.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class TwoFactorLoginTests : HostFixture
{
    private const string Password = "password-123";
    private const string SecondFactorRequired = "{\"Authenticated\":false,\"Locked\":false,\"Requires2FA\":true,\"TwoFAType\":\"Google\",\"errormsg\":null}";
    private static readonly string Refused = $"{{\"Authenticated\":false,\"errormsg\":\"{Failures.InvalidCredentials}\"}}";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test]
    public async Task EnableGoogle2FA_OwnUser_ReturnsSecretAndOtpAuthUri()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var (user, _) = await Host.ConnectNewUserAsync(admin, userName, Password);
        using var _ = user;

        var reply = await user.CallAsync("EnableGoogle2FA");

        var secret = reply.Payload.GetProperty("ManualCode").GetString()!;
        Assert.That(secret, Does.Match("^[A-Z2-7]{32}$"));
        Assert.That(reply.Payload.GetProperty("OtpAuthUri").GetString(), Is.EqualTo(
            $"otpauth://totp/exchange-gateway%3A{userName}?secret={secret}&issuer=exchange-gateway&algorithm=SHA1&digits=6&period=30"));
        Assert.That((await admin.CallAsync("GetUserInfo", JsonSerializer.Serialize(new { UserName = userName }))).Payload.GetProperty("Use2FA").GetBoolean(), Is.True);
    }

    [Test]
    public async Task AuthenticateUser_UserWith2FA_AnswersRequires2FAAndNoSession()
    {
        var (userName, _) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();

        var login = await client.CallAsync("AuthenticateUser", Credentials(userName));

        Assert.That(login.O, Is.EqualTo(SecondFactorRequired));
        Assert.That((await client.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task Authenticate2FA_CurrentCode_CompletesTheLogin()
    {
        var (userName, secret) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("WebAuthenticateUser", Credentials(userName))).O,
            Is.EqualTo("{\"Authenticated\":false,\"Requires2FA\":true,\"TwoFAType\":\"Google\",\"errormsg\":null}"));

        var reply = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{TotpCodes.At(secret, _clock.GetUtcNow())}\"}}");

        Assert.That(reply.O, Does.Match("^\\{\"Authenticated\":true,\"SessionToken\":\"[^\"]+\",\"UserId\":\\d+\\}$"));
        var info = await client.CallAsync("GetUserInfo");
        Assert.That(info.Payload.GetProperty("UserName").GetString(), Is.EqualTo(userName), info.O);
    }

    [Test]
    public async Task Authenticate2FA_CodeOneStepOld_IsAccepted()
    {
        var (userName, secret) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        await client.CallAsync("AuthenticateUser", Credentials(userName));

        var reply = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{TotpCodes.At(secret, _clock.GetUtcNow().AddSeconds(-30))}\"}}");

        Assert.That(reply.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, reply.O);
    }

    [Test]
    public async Task Authenticate2FA_ReusedCode_IsRefused()
    {
        var (userName, secret) = await NewEnrolledUserAsync();
        var code = TotpCodes.At(secret, _clock.GetUtcNow());
        using (var first = await Host.ConnectAsync())
        {
            await first.CallAsync("AuthenticateUser", Credentials(userName));
            Assert.That((await first.CallAsync("Authenticate2FA", $"{{\"Code\":\"{code}\"}}")).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        }
        using var second = await Host.ConnectAsync();
        Assert.That((await second.CallAsync("AuthenticateUser", Credentials(userName))).O, Is.EqualTo(SecondFactorRequired));

        var reply = await second.CallAsync("Authenticate2FA", $"{{\"Code\":\"{code}\"}}");

        Assert.That(reply.O, Is.EqualTo(Refused));
        Assert.That((await second.CallAsync("GetUserInfo")).ErrorCode(), Is.EqualTo(20));
    }

    [Test]
    public async Task Authenticate2FA_CodeTwoStepsOld_IsRefused()
    {
        var (userName, secret) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        await client.CallAsync("AuthenticateUser", Credentials(userName));

        var reply = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{TotpCodes.At(secret, _clock.GetUtcNow().AddSeconds(-60))}\"}}");

        Assert.That(reply.O, Is.EqualTo(Refused));
    }

    [Test]
    public async Task Authenticate2FA_WrongCodes_CountTowardLockout()
    {
        var (userName, secret) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();
        await client.CallAsync("AuthenticateUser", Credentials(userName));
        var wrong = WrongCode(TotpCodes.At(secret, _clock.GetUtcNow()));

        var replies = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
            replies.Add((await client.CallAsync("Authenticate2FA", $"{{\"Code\":{wrong}}}")).O);

        Assert.That(replies.Take(4), Is.All.EqualTo(Refused));
        Assert.That(replies[4], Is.EqualTo($"{{\"Authenticated\":false,\"errormsg\":\"{Failures.Locked}\"}}"));
        var right = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{TotpCodes.At(secret, _clock.GetUtcNow())}\"}}");
        Assert.That(right.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, right.O);
    }

    [Test]
    public async Task Authenticate2FA_WithoutPendingLogin_IsRefused()
    {
        var (_, secret) = await NewEnrolledUserAsync();
        using var client = await Host.ConnectAsync();

        var reply = await client.CallAsync("Authenticate2FA", $"{{\"Code\":\"{TotpCodes.At(secret, _clock.GetUtcNow())}\"}}");

        Assert.That(reply.O, Is.EqualTo(Refused));
    }

    [Test]
    public async Task Disable2FA_ByOperator_PasswordAloneLogsInAgain()
    {
        var (userName, _) = await NewEnrolledUserAsync();
        using var admin = await Host.ConnectAdminAsync();

        var reply = await admin.CallAsync("Disable2FA", JsonSerializer.Serialize(new { UserName = userName }));

        Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
        using var client = await Host.ConnectAsync();
        await client.LoginAsync(userName, Password);
    }

    [Test]
    public async Task EnableGoogle2FA_TradingUserForAnotherUser_Answers20AndChangesNothing()
    {
        using var admin = await Host.ConnectAdminAsync();
        var (user, _) = await Host.ConnectNewUserAsync(admin, NewName(), Password);
        using var _ = user;
        var otherId = await admin.CreateUserAsync(NewName());

        var reply = await user.CallAsync("EnableGoogle2FA", $"{{\"UserId\":{otherId}}}");

        Assert.That(reply.ErrorCode(), Is.EqualTo(20), reply.O);
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM totp WHERE UserId = @otherId", new { otherId }), Is.Zero);
    }

    private async Task<(string UserName, string Secret)> NewEnrolledUserAsync()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userName = NewName();
        var userId = await admin.CreateUserAsync(userName, Password);
        var reply = await admin.CallAsync("EnableGoogle2FA", $"{{\"UserId\":{userId}}}");
        return (userName, reply.Payload.GetProperty("ManualCode").GetString()!);
    }

    private static string Credentials(string userName) => JsonSerializer.Serialize(new { UserName = userName, Password });

    private static string NewName() => "totp-" + Guid.NewGuid().ToString("N")[..8];

    private static string WrongCode(string code) => code[0] == '9' ? "1" + code[1..] : (char)(code[0] + 1) + code[1..];
}
