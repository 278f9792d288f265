using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Client;

/// <summary>How the client logs in, and logs in again after a reconnect when its session token no longer works.</summary>
public abstract record Credentials
{
    /// <summary>The AuthenticateUser payload for a fresh login.</summary>
    public abstract string LoginPayload();
}

/// <summary>A user name and password.</summary>
public sealed record PasswordCredentials(string UserName, string Password) : Credentials
{
    /// <inheritdoc />
    public override string LoginPayload() => JsonSerializer.Serialize(new Dictionary<string, string> { ["UserName"] = UserName, ["Password"] = Password });

    /// <inheritdoc />
    public override string ToString() => $"PasswordCredentials {{ UserName = {UserName} }}";
}

/// <summary>An API key and its secret: each login is signed with a fresh random nonce.</summary>
public sealed record ApiKeyCredentials(string ApiKey, string Secret, int UserId) : Credentials
{
    /// <inheritdoc />
    public override string LoginPayload()
    {
        var nonce = RandomNumberGenerator.GetInt32(1, int.MaxValue).ToString(CultureInfo.InvariantCulture)
            + RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var userId = UserId.ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(nonce + userId + ApiKey)));
        return JsonSerializer.Serialize(new Dictionary<string, string> { ["APIKey"] = ApiKey, ["Signature"] = signature, ["UserId"] = userId, ["Nonce"] = nonce });
    }

    /// <inheritdoc />
    public override string ToString() => $"ApiKeyCredentials {{ ApiKey = {ApiKey}, UserId = {UserId} }}";
}
