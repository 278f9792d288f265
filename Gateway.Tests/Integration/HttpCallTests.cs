using System.Net;
using System.Text;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary><c>/AP/{Name}</c> as protocol.md section 6 says: bare payloads both ways, and its status codes.</summary>
[TestFixture]
public sealed class HttpCallTests : HostFixture
{
    private const string Pong = "{\"msg\":\"PONG\"}";
    private const string NotLoggedIn = "{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"Not logged in\"}";
    private const int SizeLimit = 64 * 1024;

    private string _admin = "";

    [OneTimeSetUp]
    public async Task LoginAdmin() => _admin = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    [Test]
    public async Task Post_BareJsonPayload_AnswersBarePayloadAsApplicationJson()
    {
        var echo = await Host.PostAsync("/AP/TestEcho", "{\"UserId\":3,\"UserName\":\"ann\",\"Flag\":true}");
        AssertReply(echo, HttpStatusCode.OK, "{\"UserId\":3,\"UserName\":\"ann\",\"Flag\":true,\"Big\":0}");
        AssertReply(await Host.PostAsync("/AP/Ping", "{}"), HttpStatusCode.OK, Pong);
    }

    [Test]
    public async Task Post_EmptyBody_RunsWithEmptyPayload()
    {
        AssertReply(await Host.PostAsync("/AP/Ping", null), HttpStatusCode.OK, Pong);
        AssertReply(await Host.PostAsync("/AP/Ping", ""), HttpStatusCode.OK, Pong);
        AssertReply(await Host.PostAsync("/AP/GetUserAccounts", null, _admin), HttpStatusCode.OK, "[1]");
    }

    [Test]
    public async Task Post_QueryStringWithoutBody_BindsTheQuery()
    {
        AssertReply(await Host.PostAsync("/AP/GetUserAccounts?UserId=1", null, _admin), HttpStatusCode.OK, "[1]");
        AssertReply(await Host.PostAsync("/AP/TestEcho?UserId=9", null), HttpStatusCode.OK, "{\"UserId\":9,\"UserName\":null,\"Flag\":false,\"Big\":0}");
    }

    [Test]
    public async Task Post_LogOutWithoutToken_AnswersSuccess()
    {
        AssertReply(await Host.PostAsync("/AP/LogOut", "{}"), HttpStatusCode.OK, "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}");
    }

    [Test]
    public async Task Get_QueryParameters_BindAsPayloadKeys()
    {
        AssertReply(await Host.GetAsync("/AP/TestEcho?UserId=7&userName=bob&FLAG=true"), HttpStatusCode.OK,
            "{\"UserId\":7,\"UserName\":\"bob\",\"Flag\":true,\"Big\":0}");
        AssertReply(await Host.GetAsync("/AP/GetUserAccounts?UserId=1", _admin), HttpStatusCode.OK, "[1]");
        AssertReply(await Host.GetAsync("/AP/Ping"), HttpStatusCode.OK, Pong);
    }

    [TestCase("/ap/Ping")]
    [TestCase("/AP/PING")]
    [TestCase("/Ap/ping")]
    public async Task Post_PathInOtherCasing_RunsTheCall(string path) =>
        AssertReply(await Host.PostAsync(path, "{}"), HttpStatusCode.OK, Pong);

    [Test]
    public async Task Post_HandledCallWithResultFalse_Answers200WithStandardResponse()
    {
        AssertReply(await Host.PostAsync("/AP/TestFail", "{\"Code\":101}"), HttpStatusCode.OK,
            "{\"result\":false,\"errormsg\":\"Operation Failed\",\"errorcode\":101,\"detail\":\"failing with 101 on purpose\"}");
        AssertReply(await Host.PostAsync("/AP/AddUserAccount", "{\"accountId\":999999,\"userId\":1}", _admin), HttpStatusCode.OK,
            "{\"result\":false,\"errormsg\":\"Resource Not Found\",\"errorcode\":104,\"detail\":\"accountId 999999 does not exist\"}");
    }

    [Test]
    public async Task Post_PrivateCallWithValidTokenLackingPermission_Answers200WithErrorcode20()
    {
        var name = "http-plain-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Host.PostAsync("/AP/CreateUser", $"{{\"UserInfo\":{{\"UserName\":\"{name}\",\"Password\":\"password-123\"}}}}", _admin);
        Assert.That(created.Json.GetProperty("result").GetBoolean(), Is.True, created.ToString());
        var token = await Host.LoginOverHttpAsync(name, "password-123");

        var reply = await Host.PostAsync("/AP/GetAvailablePermissionList", "{}", token);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        Assert.That(reply.Json.GetProperty("errorcode").GetInt32(), Is.EqualTo(20), reply.ToString());
        Assert.That(reply.Json.GetProperty("errormsg").GetString(), Is.EqualTo("Not Authorized"));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("not-a-session-token")]
    public async Task Post_PrivateCallWithoutValidToken_Answers401WithStandardResponse(string? token)
    {
        AssertReply(await Host.PostAsync("/AP/GetUserAccounts", "{}", token), HttpStatusCode.Unauthorized, NotLoggedIn);
        AssertReply(await Host.GetAsync("/AP/GetUserInfo?UserId=1", token), HttpStatusCode.Unauthorized, NotLoggedIn);
    }

    [Test]
    public async Task Post_PublicCallWithInvalidToken_StillAnswers()
    {
        AssertReply(await Host.PostAsync("/AP/Ping", "{}", "not-a-session-token"), HttpStatusCode.OK, Pong);
    }

    [Test]
    public async Task Post_UnknownFunction_Answers404WithErrorcode106()
    {
        AssertReply(await Host.PostAsync("/AP/NoSuchCall", "{}"), HttpStatusCode.NotFound,
            "{\"result\":false,\"errormsg\":\"Operation Not Supported\",\"errorcode\":106,\"detail\":\"Endpoint Not Found: NoSuchCall\"}");
        AssertReply(await Host.GetAsync("/AP/NoSuchCall", _admin), HttpStatusCode.NotFound,
            "{\"result\":false,\"errormsg\":\"Operation Not Supported\",\"errorcode\":106,\"detail\":\"Endpoint Not Found: NoSuchCall\"}");
    }

    [Test]
    public async Task Post_SubscriptionCall_AnswersErrorcode106()
    {
        // This gateway has no subscription calls yet, so a subscription is one of the functions it does not serve over HTTP.
        var reply = await Host.PostAsync("/AP/SubscribeLevel1", "{\"OMSId\":1,\"InstrumentId\":1}", _admin);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.NotFound), reply.ToString());
        Assert.That(reply.MediaType, Is.EqualTo("application/json"));
        Assert.That(reply.Json.GetProperty("errorcode").GetInt32(), Is.EqualTo(106), reply.ToString());
        Assert.That(reply.Json.GetProperty("result").GetBoolean(), Is.False);
    }

    [TestCase("not json")]
    [TestCase("{\"UserId\":")]
    [TestCase("{\"UserId\":1}}")]
    public async Task Post_BodyNotJson_Answers400(string body)
    {
        AssertReply(await Host.PostAsync("/AP/TestEcho", body), HttpStatusCode.BadRequest,
            "{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"The body is not valid JSON\"}");
        AssertReply(await Host.PostAsync("/AP/GetUserAccounts", body, _admin), HttpStatusCode.BadRequest,
            "{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"The body is not valid JSON\"}");
    }

    [Test]
    public async Task Post_BodyNestedDeeperThanTheLimit_AnswersErrorcode100()
    {
        var body = "{\"UserName\":" + new string('[', 40) + new string(']', 40) + "}";
        AssertReply(await Host.PostAsync("/AP/TestEcho", body), HttpStatusCode.BadRequest,
            "{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"The body nests 41 levels deep; the limit is 32\"}");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Post_BodyOverSizeLimit_Answers413(bool chunked)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/TestEcho"))
        {
            Content = new StringContent(Padded(SizeLimit + 1), Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = chunked;
        AssertReply(await Host.SendAsync(request), HttpStatusCode.RequestEntityTooLarge,
            $"{{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"The body is larger than {SizeLimit} bytes\"}}");
    }

    [Test]
    public async Task Post_BodyExactlyAtSizeLimit_IsServed()
    {
        AssertReply(await Host.PostAsync("/AP/TestEcho", Padded(SizeLimit)), HttpStatusCode.OK,
            "{\"UserId\":5,\"UserName\":null,\"Flag\":false,\"Big\":0}");
    }

    [Test]
    public async Task Post_KeysInOtherCasingsAndIdsAsNumericStrings_Work()
    {
        AssertReply(await Host.PostAsync("/AP/TestEcho", "{\"userid\":\"42\",\"USERNAME\":\"eve\",\"fLaG\":true,\"big\":\"9007199254740993\"}"),
            HttpStatusCode.OK, "{\"UserId\":42,\"UserName\":\"eve\",\"Flag\":true,\"Big\":9007199254740993}");

        var name = "http-case-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Host.PostAsync("/AP/createuser", $"{{\"userinfo\":{{\"USERNAME\":\"{name}\",\"password\":\"password-123\"}},\"omsid\":\"1\"}}", _admin);
        var userId = created.Json.GetProperty("UserId").GetInt32();
        var account = await Host.PostAsync("/AP/ADDACCOUNT", $"{{\"accountname\":\"{name}\",\"ACCOUNTHANDLE\":\"{name}\",\"OmsId\":\"1\"}}", _admin);
        var accountId = account.Json.GetProperty("Id").GetInt32();

        AssertReply(await Host.PostAsync("/AP/AddUserAccount", $"{{\"ACCOUNTID\":\"{accountId}\",\"userid\":\"{userId}\"}}", _admin), HttpStatusCode.OK,
            "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}");
        AssertReply(await Host.PostAsync("/AP/GetUserAccounts", $"{{\"USERID\":\"{userId}\",\"omsid\":\"1\"}}", _admin), HttpStatusCode.OK, $"[{accountId}]");
    }

    private static string Padded(int length)
    {
        const string core = "{\"UserId\":5}";
        return core[..^1] + new string(' ', length - core.Length) + "}";
    }

    internal static void AssertReply(HttpReply reply, HttpStatusCode status, string body)
    {
        Assert.Multiple(() =>
        {
            Assert.That(reply.Status, Is.EqualTo(status), reply.ToString());
            Assert.That(reply.MediaType, Is.EqualTo("application/json"), reply.ToString());
            Assert.That(reply.Body, Is.EqualTo(body));
        });
    }
}
