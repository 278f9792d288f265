using System.Globalization;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md section 7, failed logins per remote address: over the limit, logins answer "Rate limit exceeded" unchecked.</summary>
[TestFixture]
public sealed class LoginThrottleTests : HostFixture
{
    private const int Limit = 5;
    private const string Password = "password-123";
    private const string Throttled = "{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Rate limit exceeded\"}";
    private const string WebThrottled = "{\"Authenticated\":false,\"errormsg\":\"Rate limit exceeded\"}";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private TestClient _admin = null!;

    protected override string[] Settings => [$"--Gateway:Limits:FailedLoginsPerAddressPerMinute={Limit}"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    // Every test starts in a fresh minute, so the failures of one test do not block the next.
    [SetUp]
    public async Task FreshMinute()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        _admin = await Host.ConnectAdminAsync();
    }

    [TearDown]
    public void CloseAdmin() => _admin.Dispose();

    [Test]
    public async Task AuthenticateUser_OverFailedLoginLimit_RateLimitedWithoutCheckingOrCounting()
    {
        var userName = NewName();
        var userId = await _admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        await FailLoginsAsync(client, Limit);

        Assert.That(await LoginTextAsync(client, "AuthenticateUser", userName, Password), Is.EqualTo(Throttled), "right password");
        Assert.That(await LoginTextAsync(client, "AuthenticateUser", userName, "wrong-password"), Is.EqualTo(Throttled), "wrong password");
        Assert.That(await LoginTextAsync(client, "WebAuthenticateUser", userName, Password), Is.EqualTo(WebThrottled));
        Assert.That((await client.CallAsync("Authenticate2FA", "{\"Code\":\"123456\"}")).O, Is.EqualTo(WebThrottled));

        Assert.That(await Host.ScalarAsync<long>("SELECT NumberOfFailedAttempt FROM users WHERE UserId = @userId", new { userId }), Is.Zero);
        Assert.That((await _admin.CallAsync("GetUserInfo", "{}")).Payload.GetProperty("UserName").GetString(), Is.EqualTo("admin"),
            "a socket already logged in stopped working");
    }

    [Test]
    public async Task WebAuthenticateUser_SessionTokenOverFailedLoginLimit_RateLimited()
    {
        using var owner = await Host.ConnectAsync();
        var token = await owner.LoginAsync("admin", TestHost.AdminPassword);
        using var client = await Host.ConnectAsync();
        await FailLoginsAsync(client, Limit);

        var reply = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));

        Assert.That(reply.O, Is.EqualTo(WebThrottled));
    }

    [Test]
    public async Task HttpAuthenticateUser_OverFailedLoginLimit_RateLimited()
    {
        var userName = NewName();
        await _admin.CreateUserAsync(userName, Password);
        for (var n = 0; n < Limit; n++)
            await Host.PostAsync("/AP/AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = "wrong-password" }));

        var reply = await Host.PostAsync("/AP/AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password }));

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reply.Body, Is.EqualTo(Throttled));
    }

    [Test]
    public async Task ApiKeyLogin_OverFailedLoginLimit_RateLimitedOnSocketAndHttp()
    {
        var userId = await _admin.CreateUserAsync(NewName(), Password);
        var key = await _admin.AddKeyAsync(userId, "Trading");
        using var client = await Host.ConnectAsync();
        await FailLoginsAsync(client, Limit);

        var socketLogin = await client.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        var nonce = ApiKeys.NewNonce().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Host.HttpUri, "/AP/GetUserAPIKeys"));
        request.Headers.Add("APIKey", key.Key);
        request.Headers.Add("Signature", ApiKeys.Sign(key, nonce));
        request.Headers.Add("UserId", userId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Nonce", nonce);
        var httpCall = await Host.SendAsync(request);

        Assert.That(socketLogin.O, Is.EqualTo(Throttled));
        Assert.That(httpCall.Status, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(httpCall.Body, Is.EqualTo("{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"Rate limit exceeded\"}"));
    }

    [Test]
    public async Task AuthenticateUser_MinuteAfterFirstFailure_LogsInAgain()
    {
        var userName = NewName();
        await _admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        await FailLoginsAsync(client, Limit);
        Assert.That(await LoginTextAsync(client, "AuthenticateUser", userName, Password), Is.EqualTo(Throttled));

        _clock.Advance(TimeSpan.FromSeconds(61));

        await client.LoginAsync(userName, Password);
    }

    [Test]
    public async Task AuthenticateUser_SuccessfulLogins_DoNotCount()
    {
        var userName = NewName();
        await _admin.CreateUserAsync(userName, Password);
        using var client = await Host.ConnectAsync();
        for (var n = 0; n < Limit * 2; n++)
            await client.LoginAsync(userName, Password);
        await FailLoginsAsync(client, Limit - 1);

        await client.LoginAsync(userName, Password);
    }

    private static async Task FailLoginsAsync(TestClient client, int count)
    {
        for (var n = 0; n < count; n++)
        {
            var text = await LoginTextAsync(client, "AuthenticateUser", NewName(), "wrong-password");
            Assert.That(text, Does.Contain("Invalid username or password"), $"failure {n + 1} of {count}");
        }
    }

    private static async Task<string> LoginTextAsync(TestClient client, string function, string userName, string password) =>
        (await client.CallAsync(function, JsonSerializer.Serialize(new { UserName = userName, Password = password }))).O;

    private static string NewName() => "throttle-" + Guid.NewGuid().ToString("N")[..10];
}
