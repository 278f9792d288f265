using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>The standard response texts a test compares a reply's <c>O</c> with.</summary>
public static class Std
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string Ok = "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}";

    /// <summary>The exact failure reply for <paramref name="code"/> with <paramref name="detail"/>.</summary>
    public static string Error(int code, string detail)
    {
        var message = code switch
        {
            20 => "Not Authorized",
            100 => "Invalid Request",
            101 => "Operation Failed",
            102 => "Server Error",
            104 => "Resource Not Found",
            106 => "Operation Not Supported",
            _ => throw new ArgumentOutOfRangeException(nameof(code)),
        };
        return $"{{\"result\":false,\"errormsg\":\"{message}\",\"errorcode\":{code},\"detail\":{JsonSerializer.Serialize(detail, Relaxed)}}}";
    }
}

/// <summary>Accounts, links and tags made through the API, as a test needs them.</summary>
public static class AccountSteps
{
    /// <summary>A name unique to this run, for user names, handles and tags.</summary>
    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>JSON text of <paramref name="value"/>.</summary>
    public static string Json(object value) => JsonSerializer.Serialize(value);

    /// <summary>Creates an account through AddAccount and returns its Id; fails the test unless it succeeded.</summary>
    public static async Task<int> AddAccountAsync(this TestClient admin, string? handle = null, bool view = false, bool order = false, string? name = null)
    {
        handle ??= Unique("acct");
        var reply = await admin.CallAsync("AddAccount", Json(new
        {
            AccountName = name ?? "Account " + handle, AccountHandle = handle, ViewLineItemPermissionFlag = view, OrderLineItemPermissionFlag = order,
        }));
        Assert.That(reply.Payload.GetProperty("Success").GetBoolean(), Is.True, $"AddAccount {handle} failed: {reply.O}");
        return reply.Payload.GetProperty("Id").GetInt32();
    }

    /// <summary>Links a user to an account by ids and fails the test unless it answered the standard success.</summary>
    public static async Task LinkAsync(this TestClient admin, int userId, int accountId)
    {
        var reply = await admin.CallAsync("AddUserAccount", Json(new { accountId, userId }));
        Assert.That(reply.O, Is.EqualTo(Std.Ok), $"AddUserAccount user {userId} account {accountId}");
    }

    /// <summary>GetUserAccounts of a user, as its raw reply text.</summary>
    public static async Task<string> UserAccountsAsync(this TestClient client, int userId) =>
        (await client.CallAsync("GetUserAccounts", Json(new { UserId = userId }))).O;

    /// <summary>The user's default AccountId as GetUserInfo answers it.</summary>
    public static async Task<int> DefaultAccountAsync(this TestClient admin, int userId) =>
        (await admin.CallAsync("GetUserInfo", Json(new { UserId = userId }))).Payload.GetProperty("AccountId").GetInt32();

    /// <summary>GetUserAffiliateTag of a user, as its raw reply text.</summary>
    public static async Task<string> AffiliateTagAsync(this TestClient client, int userId) =>
        (await client.CallAsync("GetUserAffiliateTag", Json(new { UserId = userId }))).O;

    /// <summary>GetUserAffiliateCount of a user, as its raw reply text.</summary>
    public static async Task<string> AffiliateCountAsync(this TestClient client, int userId) =>
        (await client.CallAsync("GetUserAffiliateCount", Json(new { UserId = userId }))).O;

    /// <summary>The newest audit records matching <paramref name="filter"/> (a GetAuditLog payload).</summary>
    public static async Task<JsonElement> AuditAsync(this TestClient admin, object filter)
    {
        var reply = await admin.CallAsync("GetAuditLog", Json(filter));
        Assert.That(reply.Payload.ValueKind, Is.EqualTo(JsonValueKind.Array), reply.O);
        return reply.Payload;
    }
}
