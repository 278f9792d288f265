using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>A key as AddUserAPIKey returned it.</summary>
public sealed record TestApiKey(string Key, string Secret, int UserId);

/// <summary>API keys and signatures computed exactly as protocol.md "API-key signatures" says, independently of the gateway.</summary>
public static class ApiKeys
{
    /// <summary>Adds a key for <paramref name="userId"/> through AddUserAPIKey and fails the test unless it worked.</summary>
    public static async Task<TestApiKey> AddKeyAsync(this TestClient client, int userId, params string[] permissions)
    {
        var reply = await client.CallAsync("AddUserAPIKey", JsonSerializer.Serialize(new { UserId = userId, Permissions = permissions }));
        Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
        return new TestApiKey(reply.Payload.GetProperty("APIKey").GetString()!, reply.Payload.GetProperty("APISecret").GetString()!, userId);
    }

    /// <summary>Hex HMAC-SHA256, keyed with the secret's UTF-8 bytes, over <c>Nonce + UserId + APIKey</c>.</summary>
    public static string Sign(TestApiKey key, string nonce, bool upperCase = false)
    {
        var data = nonce + key.UserId.ToString(CultureInfo.InvariantCulture) + key.Key;
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key.Secret), Encoding.UTF8.GetBytes(data));
        return upperCase ? Convert.ToHexString(hash) : Convert.ToHexStringLower(hash);
    }

    /// <summary>A fresh random nonce, as clients make them.</summary>
    public static long NewNonce() => RandomNumberGenerator.GetInt32(1, int.MaxValue) * 1000L + RandomNumberGenerator.GetInt32(1000);

    /// <summary>The AuthenticateUser payload of a signed login, with UserId and Nonce as JSON numbers or strings.</summary>
    public static string LoginPayload(TestApiKey key, long nonce, bool asStrings = false, bool upperCase = false)
    {
        var text = nonce.ToString(CultureInfo.InvariantCulture);
        var signature = Sign(key, text, upperCase);
        return asStrings
            ? JsonSerializer.Serialize(new { APIKey = key.Key, Signature = signature, UserId = key.UserId.ToString(CultureInfo.InvariantCulture), Nonce = text })
            : JsonSerializer.Serialize(new { APIKey = key.Key, Signature = signature, key.UserId, Nonce = nonce });
    }
}
