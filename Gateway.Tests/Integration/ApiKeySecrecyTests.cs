using System.Globalization;
using System.Text.Json;
using Dapper;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>No API secret, signature, TOTP seed or code appears in any log line or audit record.</summary>
[TestFixture]
public sealed class ApiKeySecrecyTests : HostFixture
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 5, TimeSpan.Zero));

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(_clock);

    [Test, CancelAfter(120_000)]
    public async Task KeysAndSecondFactor_FullRound_LeaveNoSecretInLogsOrAudit(CancellationToken ct)
    {
        var linesBefore = LogCapture.Lines.Count;
        var secrets = new List<string>();
        var codes = new List<string>();
        using var admin = await Host.ConnectAdminAsync();
        var userName = "secret-" + Guid.NewGuid().ToString("N")[..8];
        var userId = await admin.CreateUserAsync(userName, "password-123");

        var key = await admin.AddKeyAsync(userId, "Trading");
        secrets.Add(key.Secret);
        foreach (var upper in new[] { false, true })
        {
            var nonce = ApiKeys.NewNonce();
            secrets.Add(ApiKeys.Sign(key, nonce.ToString(CultureInfo.InvariantCulture), upper));
            using var socket = await Host.ConnectAsync();
            Assert.That((await socket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, nonce, upperCase: upper))).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
            Assert.That((await socket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, nonce, upperCase: upper))).Payload.GetProperty("Authenticated").GetBoolean(), Is.False);
        }
        var forged = key with { Secret = "forged-" + Guid.NewGuid().ToString("N") };
        secrets.Add(forged.Secret);
        secrets.Add(ApiKeys.Sign(forged, "77"));
        using (var socket = await Host.ConnectAsync())
            Assert.That((await socket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(forged, 77))).Payload.GetProperty("Authenticated").GetBoolean(), Is.False);
        using (var http = new HttpClient { BaseAddress = Host.HttpUri, Timeout = TestClient.DefaultTimeout })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/AP/GetUserAPIKeys");
            var nonce = ApiKeys.NewNonce().ToString(CultureInfo.InvariantCulture);
            var signature = ApiKeys.Sign(key, nonce);
            secrets.Add(signature);
            request.Headers.Add("APIKey", key.Key);
            request.Headers.Add("Signature", signature);
            request.Headers.Add("UserId", userId.ToString(CultureInfo.InvariantCulture));
            request.Headers.Add("Nonce", nonce);
            using var reply = await http.SendAsync(request, ct);
            Assert.That((int)reply.StatusCode, Is.EqualTo(200));
        }

        var enrolment = (await admin.CallAsync("EnableGoogle2FA", $"{{\"UserId\":{userId}}}")).Payload;
        var seed = enrolment.GetProperty("ManualCode").GetString()!;
        secrets.Add(seed);
        using (var socket = await Host.ConnectAsync())
        {
            await socket.CallAsync("AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = "password-123" }));
            var right = TotpCodes.At(seed, _clock.GetUtcNow());
            var wrong = right == "000000" ? "000001" : "000000";
            codes.AddRange([right, wrong]);
            Assert.That((await socket.CallAsync("Authenticate2FA", $"{{\"Code\":\"{wrong}\"}}")).Payload.GetProperty("Authenticated").GetBoolean(), Is.False);
            Assert.That((await socket.CallAsync("Authenticate2FA", $"{{\"Code\":\"{right}\"}}")).Payload.GetProperty("Authenticated").GetBoolean(), Is.True);
        }

        var lines = LogCapture.Lines.Skip(linesBefore).ToList();
        Assert.That(lines, Is.Not.Empty, "nothing was captured, so this test could not fail");
        await using var db = await DatabaseProbe.OpenAsync(Host.DatabasePath());
        var audit = (await db.QueryAsync<string>("SELECT Function || ' ' || Payload || ' ' || Change FROM audit_log")).ToList();
        Assert.That(audit, Has.Some.Contains("Authenticate2FA"), "the second-factor login left no audit record to check");
        foreach (var secret in secrets)
        {
            Assert.That(lines, Has.None.Contains(secret).IgnoreCase, "a secret, signature or seed was logged");
            Assert.That(audit, Has.None.Contains(secret).IgnoreCase, "a secret, signature or seed was audited");
        }
        foreach (var code in codes)
        {
            Assert.That(lines, Has.None.Contains($"\"{code}\""), "a TOTP code was logged");
            Assert.That(audit, Has.None.Contains($"\"{code}\""), "a TOTP code was audited");
        }
        Assert.That(audit, Has.None.Contains("\"Code\"").IgnoreCase);
    }
}
