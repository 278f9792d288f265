using System.Globalization;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

[TestFixture]
public sealed class HttpApiKeyTests : HostFixture, IDisposable
{
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public void CreateClient() => _http = new HttpClient { BaseAddress = Host.HttpUri, Timeout = TestClient.DefaultTimeout };

    public void Dispose() => _http?.Dispose();

    [Test]
    public async Task AuthenticateUser_ApiKeyHeaders_ReturnsAptokenThatWorks()
    {
        var key = await NewKeyAsync();

        using var login = await _http.SendAsync(Signed(HttpMethod.Post, "/AP/AuthenticateUser", key, ApiKeys.NewNonce()));

        var body = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement;
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("Authenticated").GetBoolean(), Is.True, body.ToString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/AP/GetUserInfo");
        request.Headers.Add("aptoken", body.GetProperty("SessionToken").GetString());
        using var info = await _http.SendAsync(request);
        Assert.That(JsonDocument.Parse(await info.Content.ReadAsStringAsync()).RootElement.GetProperty("UserId").GetInt32(), Is.EqualTo(key.UserId));
    }

    [Test]
    public async Task PrivateCall_SignedHeaders_RunsWithTheKeysUser()
    {
        var key = await NewKeyAsync();

        using var reply = await _http.SendAsync(Signed(HttpMethod.Get, "/AP/GetUserAPIKeys", key, ApiKeys.NewNonce()));

        Assert.That(reply.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await reply.Content.ReadAsStringAsync(), Is.EqualTo($"[{{\"APIKey\":\"{key.Key}\",\"UserId\":{key.UserId},\"Permissions\":[\"Trading\"]}}]"));
    }

    [Test]
    public async Task PrivateCall_ReplayedSignedHeaders_Answers401()
    {
        var key = await NewKeyAsync();
        var nonce = ApiKeys.NewNonce();
        using (var first = await _http.SendAsync(Signed(HttpMethod.Get, "/AP/GetUserAPIKeys", key, nonce)))
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var replay = await _http.SendAsync(Signed(HttpMethod.Get, "/AP/GetUserAPIKeys", key, nonce));

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await replay.Content.ReadAsStringAsync(), Is.EqualTo(
            "{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"This Nonce was already used with this APIKey; sign again with a new one\"}"));
    }

    [Test]
    public async Task PrivateCall_WrongSignatureHeader_Answers401()
    {
        var key = await NewKeyAsync();

        using var reply = await _http.SendAsync(Signed(HttpMethod.Get, "/AP/GetUserAPIKeys", key with { Secret = "not-the-secret" }, ApiKeys.NewNonce()));

        Assert.That(reply.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(JsonDocument.Parse(await reply.Content.ReadAsStringAsync()).RootElement.GetProperty("errorcode").GetInt32(), Is.EqualTo(20));
    }

    private static HttpRequestMessage Signed(HttpMethod method, string path, TestApiKey key, long nonce)
    {
        var text = nonce.ToString(CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("APIKey", key.Key);
        request.Headers.Add("Signature", ApiKeys.Sign(key, text));
        request.Headers.Add("UserId", key.UserId.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Nonce", text);
        return request;
    }

    private async Task<TestApiKey> NewKeyAsync()
    {
        using var admin = await Host.ConnectAdminAsync();
        var userId = await admin.CreateUserAsync("http-key-" + Guid.NewGuid().ToString("N")[..8]);
        return await admin.AddKeyAsync(userId, "Trading");
    }
}
