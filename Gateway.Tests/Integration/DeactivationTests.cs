using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// A user an operator deactivates or locks is out at once on every path: its open sockets, its token over HTTP and for
/// resuming, and its API keys, over the socket and as HTTP headers.
/// </summary>
[TestFixture]
public sealed class DeactivationTests : AdminFixture
{
    private const string Password = "password-123";

    [TestCase("{\"Active\":false}")]
    [TestCase("{\"Locked\":true}")]
    public async Task SetUserInfo_DeactivatedOrLockedByOperator_EveryPathOfTheUserFailsWithinOneSecond(string change)
    {
        var name = AccountSteps.Unique("out");
        var (socket, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using var _ = socket;
        var token = await Host.LoginOverHttpAsync(name, Password);
        var key = await socket.AddKeyAsync(userId, "Trading");
        Assert.That((await Host.PostAsync("/AP/GetUserInfo", "{}", token)).Status, Is.EqualTo(HttpStatusCode.OK));

        var update = change.Insert(1, $"\"UserId\":{userId},");
        Assert.That((await Admin.CallAsync("SetUserInfo", update)).ErrorCode(), Is.Zero);

        var closed = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.That((int?)closed.CloseStatus, Is.EqualTo(1008), "the open socket");
        var overHttp = await Host.PostAsync("/AP/SetUserInfo", "{\"FirstName\":\"Still here\"}", token);
        Assert.That(overHttp.Status, Is.EqualTo(HttpStatusCode.Unauthorized), "the aptoken: " + overHttp);
        using var resume = await Host.ConnectAsync();
        var resumed = await resume.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }));
        Assert.That(resumed.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, "resuming with the token: " + resumed.O);
        var signed = await resume.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
        Assert.That(signed.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, "the API key: " + signed.O);
        var headers = await SignedPostAsync(key, "/AP/GetUserInfo");
        Assert.That(headers.Status, Is.EqualTo(HttpStatusCode.Unauthorized), "the API-key headers: " + headers);
        var user = (await Admin.CallAsync("GetUserInfo", JsonSerializer.Serialize(new { UserId = userId }))).Payload;
        Assert.That(user.GetProperty("FirstName").GetString(), Is.Not.EqualTo("Still here"));
    }

    [Test]
    public async Task UnLockUser_AfterAnOperatorLock_LetsTheUserLogInAgain()
    {
        var name = AccountSteps.Unique("relock");
        var userId = await Admin.CreateUserAsync(name);
        Assert.That((await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, Locked = true }))).ErrorCode(), Is.Zero);
        using var client = await Host.ConnectAsync();
        Assert.That((await client.AuthenticateAsync(name, Password)).GetProperty("Locked").GetBoolean(), Is.True);

        Assert.That((await Admin.CallAsync("UnLockUser", JsonSerializer.Serialize(new { UserId = userId }))).ErrorCode(), Is.Zero);

        Assert.That((await client.AuthenticateAsync(name, Password)).GetProperty("Authenticated").GetBoolean(), Is.True);
    }

    private Task<HttpReply> SignedPostAsync(TestApiKey key, string path)
    {
        var nonce = ApiKeys.NewNonce().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, path)) { Content = new StringContent("{}") };
        request.Headers.Add("APIKey", key.Key);
        request.Headers.Add("Signature", ApiKeys.Sign(key, nonce));
        request.Headers.Add("UserId", key.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Nonce", nonce);
        return Host.SendAsync(request);
    }
}
