using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>Logging in and making users, as a test needs them.</summary>
public static class Sessions
{
    /// <summary>Sends AuthenticateUser and returns its payload (whatever it says).</summary>
    public static async Task<JsonElement> AuthenticateAsync(this TestClient client, string userName, string password)
    {
        var reply = await client.CallAsync("AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = password }));
        return reply.Payload;
    }

    /// <summary>Logs in and fails the test unless it succeeded; returns the session token.</summary>
    public static async Task<string> LoginAsync(this TestClient client, string userName, string password)
    {
        var payload = await client.AuthenticateAsync(userName, password);
        Assert.That(payload.GetProperty("Authenticated").GetBoolean(), Is.True, $"login of {userName} failed: {payload}");
        return payload.GetProperty("SessionToken").GetString()!;
    }

    /// <summary>A new socket logged in as the bootstrap operator.</summary>
    public static async Task<TestClient> ConnectAdminAsync(this TestHost host)
    {
        var client = await host.ConnectAsync();
        await client.LoginAsync("admin", TestHost.AdminPassword);
        return client;
    }

    /// <summary>Creates a user through CreateUser as <paramref name="admin"/> and returns its UserId.</summary>
    public static async Task<int> CreateUserAsync(this TestClient admin, string userName, string password = "password-123")
    {
        var reply = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Password = password } }));
        Assert.That(reply.Payload.GetProperty("result").GetBoolean(), Is.True, $"CreateUser {userName} failed: {reply.O}");
        return reply.Payload.GetProperty("UserId").GetInt32();
    }

    /// <summary>A new socket logged in as a freshly created user (Deposit, Trading, Withdraw); returns it and its UserId.</summary>
    public static async Task<(TestClient Client, int UserId)> ConnectNewUserAsync(this TestHost host, TestClient admin, string? userName = null, string password = "password-123")
    {
        userName ??= "user-" + Guid.NewGuid().ToString("N")[..10];
        var userId = await admin.CreateUserAsync(userName, password);
        var client = await host.ConnectAsync();
        await client.LoginAsync(userName, password);
        return (client, userId);
    }

    /// <summary>The standard response's errorcode of a reply (0 for a data reply).</summary>
    public static int ErrorCode(this ReplyFrame reply) =>
        reply.Payload.ValueKind == JsonValueKind.Object && reply.Payload.TryGetProperty("errorcode", out var code) ? code.GetInt32() : 0;
}
