using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Tests.Support;

/// <summary>Many login attempts sent at once, and how their refusals read.</summary>
public static class LoginAttacks
{
    public const string Password = "password-123";

    /// <summary>How a batch of refused logins answered.</summary>
    public sealed record Refusals(int Invalid, int Locked, int Throttled, int Other)
    {
        public int Total => Invalid + Locked + Throttled + Other;

        /// <summary>Replies the address's limit let through: every one but "Rate limit exceeded".</summary>
        public int Admitted => Total - Throttled;

        public override string ToString() =>
            $"{Total} replies: {Invalid} '{Failures.InvalidCredentials}', {Locked} locked, {Throttled} '{Failures.RateLimited}', {Other} other";
    }

    /// <summary>Counts the errormsg of each reply; a reply without one (a success) counts as other.</summary>
    public static Refusals Classify(IEnumerable<ReplyFrame> replies)
    {
        int invalid = 0, locked = 0, throttled = 0, other = 0;
        foreach (var reply in replies)
        {
            var text = reply.Payload.TryGetProperty("errormsg", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
            switch (text)
            {
                case Failures.InvalidCredentials: invalid++; break;
                case Failures.Locked: locked++; break;
                case Failures.RateLimited: throttled++; break;
                default: other++; break;
            }
        }
        return new Refusals(invalid, locked, throttled, other);
    }

    /// <summary>Sends every (socket, function, payload) at once, without waiting in between, and waits for all replies.</summary>
    public static async Task<ReplyFrame[]> AllAtOnceAsync(IEnumerable<(TestClient Socket, string Function, string Payload)> calls, CancellationToken ct)
    {
        var pending = calls.Select(c => c.Socket.CallAsync(c.Function, c.Payload, timeout: TimeSpan.FromSeconds(90))).ToList();
        return await Task.WhenAll(pending).WaitAsync(ct);
    }

    /// <summary>Opens <paramref name="count"/> anonymous sockets.</summary>
    public static async Task<List<TestClient>> ConnectManyAsync(this TestHost host, int count)
    {
        var sockets = new List<TestClient>();
        for (var n = 0; n < count; n++)
            sockets.Add(await host.ConnectAsync());
        return sockets;
    }

    /// <summary>Creates a user and enrols it in 2FA as the operator; returns its id, name and Base32 secret.</summary>
    public static async Task<(int UserId, string UserName, string Secret)> NewEnrolledUserAsync(this TestClient admin)
    {
        var userName = "totp-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName, Password);
        var reply = await admin.CallAsync("EnableGoogle2FA", $"{{\"UserId\":{userId}}}");
        return (userId, userName, reply.Payload.GetProperty("ManualCode").GetString()!);
    }

    /// <summary>A password login payload.</summary>
    public static string Credentials(string userName, string password = Password) =>
        JsonSerializer.Serialize(new { UserName = userName, Password = password });

    /// <summary>A random six-digit code that none of the steps around <paramref name="at"/> accepts.</summary>
    public static string WrongCode(string secret, DateTimeOffset at)
    {
        string[] valid = [TotpCodes.At(secret, at.AddSeconds(-30)), TotpCodes.At(secret, at), TotpCodes.At(secret, at.AddSeconds(30))];
        while (true)
        {
            var code = RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            if (!valid.Contains(code))
                return code;
        }
    }

    public static void DisposeAll(this IEnumerable<TestClient> sockets)
    {
        foreach (var socket in sockets)
            socket.Dispose();
    }
}
