using System.Text.Json;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// protocol.md section 7, logins per user and per remote address: every login counts, whatever its outcome; over the
/// limit a login answers "Rate limit exceeded" unchecked until the minute has passed.
/// </summary>
[TestFixture]
public sealed class LoginRateTests : HostFixture
{
    private const int PerUser = 3;
    private const int PerAddress = 6;
    private const string Password = "password-123";
    private const string Throttled = "{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Rate limit exceeded\"}";
    private const string WebThrottled = "{\"Authenticated\":false,\"errormsg\":\"Rate limit exceeded\"}";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private TestClient _admin = null!;
    private string _adminToken = null!;

    protected override string[] Settings =>
        [$"--Gateway:Limits:LoginsPerUserPerMinute={PerUser}", $"--Gateway:Limits:LoginsPerAddressPerMinute={PerAddress}"];

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    // Users are made in the minute before each test, which then starts a minute of its own.
    [SetUp]
    public async Task FreshMinute()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        _admin = await Host.ConnectAsync();
        _adminToken = await _admin.LoginAsync("admin", TestHost.AdminPassword);
    }

    [TearDown]
    public void CloseAdmin() => _admin.Dispose();

    [Test]
    public async Task AuthenticateUser_OverLoginsPerUserPerMinute_RateLimitedUntilTheMinutePasses()
    {
        var userName = await NewUserAsync();
        var other = await NewUserAsync();
        _clock.Advance(TimeSpan.FromMinutes(2));
        using var client = await Host.ConnectAsync();
        for (var n = 0; n < PerUser; n++)
            await client.LoginAsync(userName, Password);

        var over = await client.CallAsync("AuthenticateUser", Credentials(userName));

        Assert.That(over.O, Is.EqualTo(Throttled));
        await client.LoginAsync(other, Password);
        _clock.Advance(TimeSpan.FromSeconds(61));
        await client.LoginAsync(userName, Password);
    }

    [Test]
    public async Task WebAuthenticateUser_OverLoginsPerAddressPerMinute_RateLimitedForEveryUserAndToken()
    {
        var names = new List<string>();
        for (var n = 0; n <= PerAddress; n++)
            names.Add(await NewUserAsync());
        _clock.Advance(TimeSpan.FromMinutes(2));
        using var client = await Host.ConnectAsync();
        foreach (var name in names.Take(PerAddress))
            await client.LoginAsync(name, Password);

        var password = await client.CallAsync("WebAuthenticateUser", Credentials(names[^1]));
        var token = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = _adminToken }));

        Assert.That(password.O, Is.EqualTo(WebThrottled));
        Assert.That(token.O, Is.EqualTo(WebThrottled));
        _clock.Advance(TimeSpan.FromSeconds(61));
        await client.LoginAsync(names[^1], Password);
    }

    [Test]
    public async Task WebAuthenticateUser_SessionTokenResumes_CountTowardTheUsersLogins()
    {
        _clock.Advance(TimeSpan.FromMinutes(2));
        var userName = await NewUserAsync();
        using var first = await Host.ConnectAsync();
        var token = await first.LoginAsync(userName, Password);
        var replies = new List<string>();
        for (var n = 1; n < PerUser + 1; n++)
        {
            using var socket = await Host.ConnectAsync();
            replies.Add((await socket.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }))).O);
        }

        Assert.That(replies.Take(PerUser - 1), Is.All.Contains("\"Authenticated\":true"));
        Assert.That(replies[^1], Is.EqualTo(WebThrottled));
    }

    private async Task<string> NewUserAsync()
    {
        var name = "rate-" + Guid.NewGuid().ToString("N")[..10];
        await _admin.CreateUserAsync(name, Password);
        return name;
    }

    private static string Credentials(string userName) => JsonSerializer.Serialize(new { UserName = userName, Password });
}
