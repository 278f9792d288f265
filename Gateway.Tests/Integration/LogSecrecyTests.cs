using System.Text;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>No password, secret or session token appears in any log line, asserted on the captured log.</summary>
[TestFixture]
public sealed class LogSecrecyTests : HostFixture
{
    private static string Secret(string what) => $"{what}-{Guid.NewGuid():N}";

    [Test]
    [CancelAfter(120_000)]
    public async Task Log_LoginsWritesFailuresLogOutAndResume_HoldsNoPasswordOrSessionToken()
    {
        var linesBefore = LogCapture.Lines.Count;
        string password = Secret("pw"), wrongPassword = Secret("wrong"), unknownUserPassword = Secret("unknown"),
            setUserInfoPassword = Secret("set"), failedCreatePassword = Secret("failed"), brokenFramePassword = Secret("broken"),
            httpPassword = Secret("http"), madeUpToken = Secret("token");
        var userName = "secrecy-" + Guid.NewGuid().ToString("N")[..10];
        var tokens = new List<string>();

        using (var admin = await Host.ConnectAsync())
        {
            tokens.Add(await admin.LoginAsync("admin", TestHost.AdminPassword));
            var userId = await admin.CreateUserAsync(userName, password);
            var taken = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Password = failedCreatePassword } }));
            Assert.That(taken.ErrorCode(), Is.EqualTo(101), taken.O);

            using var user = await Host.ConnectAsync();
            Assert.That((await user.AuthenticateAsync(userName, wrongPassword)).GetProperty("Authenticated").GetBoolean(), Is.False);
            Assert.That((await user.AuthenticateAsync("nobody-" + Guid.NewGuid().ToString("N"), unknownUserPassword)).GetProperty("Authenticated").GetBoolean(), Is.False);
            var token = await user.LoginAsync(userName, password);
            tokens.Add(token);
            var set = await user.CallAsync("SetUserInfo", $"{{\"UserId\":{userId},\"FirstName\":\"Ann\",\"Password\":\"{setUserInfoPassword}\"}}");
            Assert.That(set.ErrorCode(), Is.Zero, set.O);
            var refused = await user.CallAsync("AddUserPermission", $"{{\"UserId\":{userId},\"Permission\":\"Operator\",\"Password\":\"{password}\"}}");
            Assert.That(refused.ErrorCode(), Is.EqualTo(20), refused.O);
            user.Send(TestClient.Frame(0, 99, "AuthenticateUser", $"{{\"UserName\":\"{userName}\",\"Password\":\"{brokenFramePassword}\""));
            Assert.That((await user.NextFrameAsync()).O, Does.Contain("\"errorcode\":100"));

            using var resumed = await Host.ConnectAsync();
            var resume = await resumed.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{token}\"}}");
            Assert.That(resume.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, resume.O);
            var bogus = await resumed.CallAsync("WebAuthenticateUser", $"{{\"SessionToken\":\"{madeUpToken}\"}}");
            Assert.That(bogus.Payload.GetProperty("Authenticated").GetBoolean(), Is.False, bogus.O);
            using var web = await Host.ConnectAsync();
            var webLogin = await web.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = password }));
            tokens.Add(webLogin.Payload.GetProperty("SessionToken").GetString()!);

            Assert.That((await user.CallAsync("LogOut", "{}")).ErrorCode(), Is.Zero);
            await user.Closed.WaitAsync(TimeSpan.FromSeconds(15));
        }

        using (var http = new HttpClient { BaseAddress = Host.HttpUri, Timeout = TimeSpan.FromSeconds(15) })
        {
            var login = await http.PostAsync("/AP/AuthenticateUser", new StringContent(JsonSerializer.Serialize(new { UserName = userName, Password = password }), Encoding.UTF8, "application/json"));
            var httpToken = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("SessionToken").GetString()!;
            tokens.Add(httpToken);
            // GET with scalar keys is a valid call (protocol.md section 6), so a password may arrive in a URL.
            var getLogin = await (await http.GetAsync($"/AP/AuthenticateUser?UserName={userName}&Password={httpPassword}")).Content.ReadAsStringAsync();
            Assert.That(getLogin, Does.StartWith("{\"Authenticated\":false"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/AP/SetUserInfo") { Content = new StringContent($"{{\"Password\":\"{httpPassword}\"}}", Encoding.UTF8, "application/json") };
            request.Headers.Add("aptoken", httpToken);
            Assert.That((await http.SendAsync(request)).IsSuccessStatusCode, Is.True);
        }

        var scenario = LogCapture.Lines.Skip(linesBefore).ToList();
        Assert.That(scenario, Has.Some.Contains("failed with errorcode 20"), "the capture must see this host's log, or this test proves nothing");
        Assert.That(scenario, Has.Some.Contains("ended: Logged out"));
        string[] secrets = [password, wrongPassword, unknownUserPassword, setUserInfoPassword, failedCreatePassword, brokenFramePassword, httpPassword, madeUpToken, .. tokens];
        foreach (var secret in secrets)
            Assert.That(scenario, Has.None.Contains(secret), "a secret was logged");
    }

    [Test]
    public void Log_WholeRunSoFar_NeverHoldsTheAdminPassword()
    {
        Assert.That(LogCapture.Lines, Is.Not.Empty);
        Assert.That(LogCapture.Lines, Has.None.Contains(TestHost.AdminPassword));
    }
}
