using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Logging in over HTTP (JSON body, HTTP Basic on AuthenticateUser and Authenticate) and the aptoken session.</summary>
[TestFixture]
public sealed class HttpLoginTests : HostFixture
{
    private const string Password = "password-123";

    [Test]
    public async Task AuthenticateUser_JsonBody_AnswersDeployedShapeAndTokenWorksAsAptoken()
    {
        var reply = await Host.PostAsync("/AP/AuthenticateUser", JsonSerializer.Serialize(new { UserName = "admin", Password = TestHost.AdminPassword }));
        var token = reply.Json.GetProperty("SessionToken").GetString();
        HttpCallTests.AssertReply(reply, HttpStatusCode.OK,
            "{\"Authenticated\":true,\"SessionToken\":\"" + token + "\",\"User\":{\"UserId\":1,\"UserName\":\"admin\",\"Email\":\"\",\"EmailVerified\":false,\"AccountId\":1,\"OMSId\":1,\"Use2FA\":false},\"Locked\":false,\"Requires2FA\":false,\"TwoFAType\":null,\"errormsg\":null}");

        await AssertSessionOfAsync(token!, 1);
    }

    [TestCase("POST", "AuthenticateUser")]
    [TestCase("GET", "AuthenticateUser")]
    [TestCase("POST", "Authenticate")]
    [TestCase("GET", "authenticate")]
    public async Task Login_HttpBasicCredentials_AnswersTokenThatWorksAsAptoken(string method, string function)
    {
        var (name, userId) = await NewUserAsync();
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(Host.HttpUri, $"/AP/{function}"));
        request.Headers.Authorization = HttpApi.Basic(name, Password);
        var reply = await Host.SendAsync(request);

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        Assert.That(reply.MediaType, Is.EqualTo("application/json"));
        Assert.That(reply.Json.GetProperty("Authenticated").GetBoolean(), Is.True, reply.ToString());
        Assert.That(reply.Json.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        await AssertSessionOfAsync(reply.Json.GetProperty("SessionToken").GetString()!, userId);
    }

    [TestCase("AuthenticateUser")]
    [TestCase("Authenticate")]
    public async Task Login_HttpBasicWrongPassword_Answers200AuthenticatedFalse(string function)
    {
        var (name, _) = await NewUserAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, $"/AP/{function}"));
        request.Headers.Authorization = HttpApi.Basic(name, "wrong-password");
        HttpCallTests.AssertReply(await Host.SendAsync(request), HttpStatusCode.OK,
            "{\"Authenticated\":false,\"Locked\":false,\"errormsg\":\"Invalid username or password\"}");
    }

    [Test]
    public async Task Login_RepeatedWrongBasicPasswords_LocksTheUserAsOverTheSocket()
    {
        var (name, _) = await NewUserAsync();
        HttpReply reply = null!;
        for (var attempt = 0; attempt < 5; attempt++)
            reply = await BasicLoginAsync(name, "wrong-password");
        Assert.That(reply.Json.GetProperty("Locked").GetBoolean(), Is.True, reply.ToString());

        var right = await BasicLoginAsync(name, Password);
        Assert.That(right.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(right.Json.GetProperty("Authenticated").GetBoolean(), Is.False, right.ToString());
        Assert.That(right.Json.GetProperty("Locked").GetBoolean(), Is.True, right.ToString());
    }

    [Test]
    public async Task Aptoken_FromSocketLogin_WorksOverHttpWithHeaderInAnyCasing()
    {
        using var client = await Host.ConnectAsync();
        var token = await client.LoginAsync("admin", TestHost.AdminPassword);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/GetUserAccounts")) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("APTOKEN", token);
        HttpCallTests.AssertReply(await Host.SendAsync(request), HttpStatusCode.OK, "[1]");
    }

    [Test]
    public async Task LogOut_WithAptoken_EndsTheSessionSoTheTokenAnswers401()
    {
        var (name, userId) = await NewUserAsync();
        var token = await Host.LoginOverHttpAsync(name, Password);
        await AssertSessionOfAsync(token, userId);

        HttpCallTests.AssertReply(await Host.PostAsync("/AP/LogOut", "{}", token), HttpStatusCode.OK,
            "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}");
        HttpCallTests.AssertReply(await Host.PostAsync("/AP/GetUserInfo", "{}", token), HttpStatusCode.Unauthorized,
            "{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"Not logged in\"}");
    }

    [Test]
    public async Task LogOut_OverHttpWithSocketsToken_ClosesTheSocketsOfThatSession()
    {
        var (name, _) = await NewUserAsync();
        using var client = await Host.ConnectAsync();
        var token = await client.LoginAsync(name, Password);

        HttpCallTests.AssertReply(await Host.PostAsync("/AP/LogOut", "{}", token), HttpStatusCode.OK,
            "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}");

        var closed = await client.Closed.WaitAsync(TestClient.DefaultTimeout);
        Assert.That(closed.CloseStatus, Is.EqualTo(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation));
    }

    private Task<HttpReply> BasicLoginAsync(string name, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/AuthenticateUser"));
        request.Headers.Authorization = HttpApi.Basic(name, password);
        return Host.SendAsync(request);
    }

    private async Task AssertSessionOfAsync(string token, int userId)
    {
        var info = await Host.PostAsync("/AP/GetUserInfo", "{}", token);
        Assert.That(info.Status, Is.EqualTo(HttpStatusCode.OK), info.ToString());
        Assert.That(info.Json.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), info.ToString());
    }

    private async Task<(string Name, int UserId)> NewUserAsync()
    {
        using var admin = await Host.ConnectAdminAsync();
        var name = "http-login-" + Guid.NewGuid().ToString("N")[..8];
        return (name, await admin.CreateUserAsync(name, Password));
    }
}
