using System.Text.Json;

namespace Gateway.Bench;

/// <summary>The users a run needs, made through the gateway's own calls by its bootstrap operator.</summary>
internal sealed class BenchUsers(BenchSocket admin, Uri url, string adminToken) : IDisposable
{
    private const string Password = "bench-password";

    /// <summary>The operator's session token.</summary>
    public string AdminToken { get; } = adminToken;

    /// <summary>Logs in as <c>admin</c> on a socket of its own.</summary>
    public static async Task<BenchUsers> AsAdminAsync(Uri url, CancellationToken ct)
    {
        var admin = await BenchSocket.ConnectAsync(url, ct);
        var login = await admin.CallAsync("AuthenticateUser", JsonSerializer.Serialize(new { UserName = "admin", Password = ServerProcess.AdminPassword }), ct);
        return new BenchUsers(admin, url, Token(login));
    }

    /// <summary>Creates a user and returns its UserId.</summary>
    public async Task<int> CreateAsync(string userName, CancellationToken ct)
    {
        var reply = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Password } }), ct);
        return JsonDocument.Parse(reply).RootElement.TryGetProperty("UserId", out var id) ? id.GetInt32() : throw new InvalidOperationException($"CreateUser failed: {reply}");
    }

    /// <summary>Creates a user with an account of its own linked to it, logs it in, and returns its session token.</summary>
    public async Task<string> CreateWithAccountAsync(string userName, CancellationToken ct)
    {
        await CreateLinkedAsync(userName, ct);
        return await LoginAsync(userName, ct);
    }

    /// <summary>Creates a user with an account of its own linked to it and returns its UserId.</summary>
    public async Task<int> CreateLinkedAsync(string userName, CancellationToken ct)
    {
        var userId = await CreateAsync(userName, ct);
        var account = JsonDocument.Parse(await admin.CallAsync("AddAccount", $"{{\"AccountName\":\"{userName}\"}}", ct)).RootElement.GetProperty("Id").GetInt32();
        await admin.CallAsync("AddUserAccount", $"{{\"accountId\":{account},\"userId\":{userId}}}", ct);
        return userId;
    }

    /// <summary>Logs a user made here in on a short-lived socket and returns its session token.</summary>
    public async Task<string> LoginAsync(string userName, CancellationToken ct)
    {
        using var login = await BenchSocket.ConnectAsync(url, ct);
        return Token(await login.CallAsync("AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password }), ct));
    }

    /// <summary>A call as the operator; its reply payload.</summary>
    public Task<string> CallAsync(string function, string payload, CancellationToken ct) => admin.CallAsync(function, payload, ct);

    public void Dispose() => admin.Dispose();

    private static string Token(string login) =>
        JsonDocument.Parse(login).RootElement.TryGetProperty("SessionToken", out var token) ? token.GetString()! : throw new InvalidOperationException($"login failed: {login}");
}
