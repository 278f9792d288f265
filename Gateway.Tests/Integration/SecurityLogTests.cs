using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// operations.md section 3: every security event is one Warn line under Gateway.Security with the user name and the
/// remote address, and none of the secrets involved. Logins come over HTTP through 127.0.0.1, a listed proxy, so each
/// step names its own client address in X-Forwarded-For.
/// </summary>
[TestFixture]
public sealed class SecurityLogTests : HostFixture
{
    private const string Security = "Warning Gateway.Security: ";

    protected override string[] Settings =>
    [
        "--Gateway:Network:KnownProxies:0=127.0.0.1",
        "--Gateway:Security:LockoutFailures=3",
        "--Gateway:Limits:FailedLoginsPerAddressPerMinute=3",
    ];

    [Test]
    [CancelAfter(120_000)]
    public async Task Log_EverySecurityEvent_OneWarnLineWithUserAndAddressAndNoSecret(CancellationToken ct)
    {
        var before = LogCapture.Lines.Count;
        var name = "seclog-" + Guid.NewGuid().ToString("N")[..10];
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");
        var tokens = new List<string>();
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync(name, password);

        await ExpectRefusedAsync("198.51.100.1", new { UserName = name, Password = wrong });
        await ExpectRefusedAsync("198.51.100.2", new { UserName = name + "-nobody", Password = password });
        await ExpectRefusedAsync("198.51.100.3", new { UserName = name, Password = wrong });
        var locking = await LoginFromAsync("198.51.100.3", new { UserName = name, Password = wrong });
        Assert.That(locking.Json.GetProperty("Locked").GetBoolean(), Is.True, locking.ToString());
        await ExpectRefusedAsync("198.51.100.4", new { UserName = name, Password = password });
        Assert.That((await admin.CallAsync("UnLockUser", $"{{\"UserId\":{userId}}}")).ErrorCode(), Is.Zero);
        Assert.That((await admin.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}")).ErrorCode(), Is.Zero);
        Assert.That((await admin.CallAsync("RevokeUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"AccountReadOnly\"}}")).ErrorCode(), Is.Zero);

        var key = await admin.AddKeyAsync(userId, "Trading");
        var badSignature = new string('0', 64);
        await ExpectRefusedAsync("198.51.100.5", new { APIKey = key.Key, Signature = badSignature, UserId = userId, Nonce = 7 });
        var nonce = ApiKeys.NewNonce();
        var signed = JsonSerializer.Deserialize<JsonElement>(ApiKeys.LoginPayload(key, nonce));
        var first = await LoginFromAsync("198.51.100.6", signed);
        tokens.Add(first.Json.GetProperty("SessionToken").GetString()!);
        await ExpectRefusedAsync("198.51.100.6", signed);
        Assert.That((await admin.CallAsync("RemoveUserAPIKey", $"{{\"UserId\":{userId},\"APIKey\":\"{key.Key}\"}}")).ErrorCode(), Is.Zero);

        using (var user = await Host.ConnectAsync())
        {
            tokens.Add(await user.LoginAsync(name, password));
            var seed = (await user.CallAsync("EnableGoogle2FA")).Payload.GetProperty("ManualCode").GetString()!;
            using var second = await Host.ConnectAsync();
            Assert.That((await second.AuthenticateAsync(name, password)).GetProperty("Requires2FA").GetBoolean(), Is.True);
            var badCode = WrongCode(seed);
            var refused = await second.CallAsync("Authenticate2FA", $"{{\"Code\":\"{badCode}\"}}");
            Assert.That(refused.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, refused.O);
            Assert.That((await user.CallAsync("Disable2FA")).ErrorCode(), Is.Zero);
        }

        for (var k = 0; k < 5; k++)
            await ExpectRefusedAsync("198.51.100.7", new { UserName = name + "-flood", Password = wrong });

        string[] expected =
        [
            $"Login refused for {name} from 198.51.100.1: wrong_password",
            $"Login refused for {name}-nobody from 198.51.100.2: unknown_user",
            $"User {name} ({userId}) locked out by repeated failed logins, the last from 198.51.100.3",
            $"Login refused for {name} from 198.51.100.4: locked",
            $"User {name} ({userId}) unlocked by admin from 127.0.0.1",
            $"Permission AccountReadOnly granted to user {userId} by admin from 127.0.0.1",
            $"Permission AccountReadOnly revoked from user {userId} by admin from 127.0.0.1",
            $"API key {key.Key} added for user {userId} with Trading by admin from 127.0.0.1",
            $"Login refused for {name} from 198.51.100.5: bad_signature",
            $"Login refused for {name} from 198.51.100.6: replayed_nonce",
            $"API key {key.Key} removed from user {userId} by admin from 127.0.0.1",
            $"Login refused for {name} from 127.0.0.1: bad_2fa_code",
            $"Login refused for {name}-flood from 198.51.100.7: throttled",
        ];
        var lines = LogCapture.Lines.Skip(before).ToList();
        var security = lines.Where(l => l.StartsWith(Security, StringComparison.Ordinal) && Mentions(l, name, userId)).ToList();
        foreach (var message in expected)
            Assert.That(security.Count(l => l.StartsWith(Security + message, StringComparison.Ordinal)), Is.EqualTo(1), $"one line for: {message}\n{string.Join('\n', security)}");
        Assert.That(security.Count(l => l.StartsWith($"{Security}Login refused for {name} from 198.51.100.3: wrong_password", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(security.Count(l => l.StartsWith($"{Security}Login refused for {name}-flood from 198.51.100.7: unknown_user", StringComparison.Ordinal)), Is.EqualTo(3));
        Assert.That(security, Has.Count.EqualTo(expected.Length + 2 + 3), "a security event was logged more than once, or the throttled flood was logged line by line");
        string[] secrets = [password, wrong, key.Secret, badSignature, ApiKeys.Sign(key, nonce.ToString(CultureInfo.InvariantCulture)), .. tokens];
        foreach (var secret in secrets)
            Assert.That(lines, Has.None.Contains(secret), "a secret was logged");
    }

    private static bool Mentions(string line, string name, int userId) =>
        line.Contains(name, StringComparison.Ordinal) || line.Contains($"user {userId} ", StringComparison.Ordinal);

    private async Task ExpectRefusedAsync(string address, object body)
    {
        var reply = await LoginFromAsync(address, body);
        Assert.That(reply.Json.GetProperty("Authenticated").GetBoolean(), Is.False, reply.ToString());
    }

    private Task<HttpReply> LoginFromAsync(string address, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/AuthenticateUser"))
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
        return Host.SendAsync(request);
    }

    // A code that is none of the steps the gateway accepts around now.
    private static string WrongCode(string seed)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = new[] { -60, -30, 0, 30, 60 }.Select(s => TotpCodes.At(seed, now.AddSeconds(s))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(n => n.ToString("D6", CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }
}

/// <summary>A socket closed for abuse is a Warn line naming its user and address, beside the Info close lines.</summary>
[TestFixture]
public sealed class SocketAbuseLogTests : HostFixture
{
    protected override string[] Settings =>
    [
        "--Gateway:Limits:RequestsPerSecond=50",
        "--Gateway:Limits:RequestBurst=50",
        "--Gateway:Limits:RateLimitCloseAfterSeconds=1",
    ];

    [Test]
    [CancelAfter(60_000)]
    public async Task Log_SocketClosedForRate_OneWarnLineWithUserAndAddress(CancellationToken ct)
    {
        var before = LogCapture.Lines.Count;
        var name = "abuse-" + Guid.NewGuid().ToString("N")[..10];
        using var admin = await Host.ConnectAdminAsync();
        var (client, _) = await Host.ConnectNewUserAsync(admin, name);
        using var _ = client;
        var started = DateTime.UtcNow;
        var sequence = 100L;

        // About 2,000 requests a second against a rate of 50, until the gateway closes the socket.
        while (!client.Closed.IsCompleted && DateTime.UtcNow - started < TimeSpan.FromSeconds(10))
        {
            for (var n = 0; n < 40; n++)
                client.Send(TestClient.Frame(0, sequence += 2, "Ping", "{}"));
            await Task.Delay(20, ct);
        }
        var closed = await client.Closed.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.That(closed.CloseStatus, Is.EqualTo(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation));

        var lines = LogCapture.Lines.Skip(before).Where(l => l.Contains(name, StringComparison.Ordinal)).ToList();
        var warned = lines.Where(l => l.StartsWith("Warning Gateway.Security: Socket ", StringComparison.Ordinal)).ToList();
        Assert.That(warned, Has.Count.EqualTo(1), string.Join('\n', lines));
        Assert.That(warned[0], Does.Contain($" of {name} from {IPAddress.Loopback} closed for abuse (rate): Far over the rate limit for 1 s"));
    }
}
