using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Resources;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// Every function of the catalog and both operations of the accountUsers resource, over the socket and over HTTP, for
/// four callers: anonymous, a Trading user, an Operator user's key narrowed to Trading, and the Operator. The one
/// authorizer must decide each call exactly once, the same way on every transport, and a key must be as narrow as its
/// permissions, not as wide as its user.
/// </summary>
[TestFixture]
public sealed class OneAuthorizerTests : AdminFixture
{
    private readonly RecordingAuthorizer _recorder = new();
    private TestClient _trading = null!;
    private TestClient _narrowKey = null!;
    private TestClient _anonymous = null!;
    private string _tradingToken = null!;
    private string _keyToken = null!;
    private string _operatorToken = null!;
    private TestApiKey _key = null!;

    public enum Caller
    {
        Anonymous,
        Trading,
        NarrowedKey,
        Operator,
    }

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<SessionAuthorizer>();
        services.AddSingleton<ICallAuthorizer>(sp => _recorder.Wrap(sp.GetRequiredService<SessionAuthorizer>()));
    }

    [OneTimeSetUp]
    public async Task ConnectCallers()
    {
        var name = "authz-" + Guid.NewGuid().ToString("N")[..8];
        (_trading, _) = await Host.ConnectNewUserAsync(Admin, name);
        _tradingToken = await Host.LoginOverHttpAsync(name, "password-123");
        // The Operator's own key, allowed only Trading: it must act as a Trading user, never as the Operator.
        _key = await Admin.AddKeyAsync(1, PermissionNames.Trading);
        _narrowKey = await Host.ConnectAsync();
        var login = await _narrowKey.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(_key, ApiKeys.NewNonce()));
        Assert.That(login.Payload.GetProperty("Authenticated").GetBoolean(), Is.True, login.O);
        _keyToken = login.Payload.GetProperty("SessionToken").GetString()!;
        _anonymous = await Host.ConnectAsync();
        _operatorToken = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);
    }

    [OneTimeTearDown]
    public void DisconnectCallers()
    {
        _trading.Dispose();
        _narrowKey.Dispose();
        _anonymous.Dispose();
    }

    // Every catalog function but LogOut, which would end the sessions the other cases use (it is public: nothing to decide).
    private static IEnumerable<string> CatalogFunctions() =>
        HandlerCatalog.Create().Declared.Select(d => d.Name).Where(n => n != "LogOut").Order(StringComparer.Ordinal);

    [Test]
    public async Task EveryFunction_EveryCaller_OneAuthorizerDecidesOnceAndAlikeOnBothTransports(
        [ValueSource(nameof(CatalogFunctions))] string function, [Values] Caller caller)
    {
        var expected = Expected(HandlerCatalog.Create().Declared.Single(d => d.Name == function).Requires, caller);

        var socketDecision = await DecisionOfAsync(() => SocketFor(caller).CallAsync(function, "{}"), out var socketReply);
        var httpDecision = await DecisionOfAsync(() => Host.PostAsync("/AP/" + function, "{}", TokenFor(caller)), out var httpReply);

        var frame = await socketReply;
        var response = await httpReply;
        Assert.That(socketDecision, Is.EqualTo(expected), "socket");
        Assert.That(httpDecision, Is.EqualTo(expected), "HTTP");
        if (expected == Decision.Refused)
        {
            Assert.That(frame.ErrorCode(), Is.EqualTo(20), frame.O);
            Assert.That(response.Json.GetProperty("errorcode").GetInt32(), Is.EqualTo(20), response.ToString());
            Assert.That(response.Status, Is.EqualTo(caller == Caller.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.OK));
        }
        else
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.ToString());
        }
    }

    [Test]
    public async Task AccountUsersResource_EveryCaller_OneAuthorizerDecidesAndStatusFollows([Values] Caller caller)
    {
        var expected = Expected(Access.Operator, caller);
        var refusal = caller == Caller.Anonymous ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;

        var post = await DecisionOfAsync(() => Host.PostAsync("/accounts/1/accountUsers", "{\"ExternalUserId\":\"nobody-has-this\"}", TokenFor(caller)), out var posted);
        var get = await DecisionOfAsync(() => Host.GetAsync("/accounts/1/accountUsers", TokenFor(caller)), out var listed);

        Assert.That(post, Is.EqualTo(expected));
        Assert.That(get, Is.EqualTo(expected));
        Assert.That((await posted).Status, Is.EqualTo(expected == Decision.Allowed ? HttpStatusCode.NotFound : refusal), (await posted).ToString());
        Assert.That((await listed).Status, Is.EqualTo(expected == Decision.Allowed ? HttpStatusCode.OK : refusal), (await listed).ToString());
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task SinglePermissionKey_EveryFunction_AdmittedExactlyWhenThatPermissionAdmitsIt(CancellationToken ct)
    {
        var declared = HandlerCatalog.Create().Declared.Where(d => d.Name != "LogOut").ToList();
        var permissions = (await Admin.CallAsync("GetAvailablePermissionList")).Payload.EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.That(permissions, Has.Count.GreaterThan(20));
        var wrong = new List<string>();

        foreach (var permission in permissions)
        {
            // The Operator's own key with this one permission: the key, not its user, is what the session may do.
            var key = await Admin.AddKeyAsync(1, permission);
            using var socket = await Host.ConnectAsync();
            var login = await socket.CallAsync("AuthenticateUser", ApiKeys.LoginPayload(key, ApiKeys.NewNonce()));
            var token = login.Payload.GetProperty("SessionToken").GetString()!;
            foreach (var (function, requires) in declared)
            {
                var admitted = requires.IsPublic || requires.AnySession || permission == PermissionNames.Operator || permission == function || requires.Umbrellas.Contains(permission);
                var refusal = $"{function} needs one of these permissions";
                var frame = await socket.CallAsync(function, "{}");
                var response = await Host.PostAsync("/AP/" + function, "{}", token);
                if (Refused(frame.O, refusal) == admitted)
                    wrong.Add($"key [{permission}] {function} over the socket: {frame.O}");
                if (Refused(response.Body, refusal) == admitted)
                    wrong.Add($"key [{permission}] {function} over HTTP: {response}");
            }
        }

        Assert.That(wrong, Is.Empty);
    }

    private static bool Refused(string reply, string refusal) => reply.Contains("\"errorcode\":20", StringComparison.Ordinal) && reply.Contains(refusal, StringComparison.Ordinal);

    [Test]
    public async Task NarrowedKey_OperatorUsersTradingOnlyKey_IsRefusedTheResourceAndEveryOperatorCall()
    {
        var operatorOnly = HandlerCatalog.Create().Declared.Where(d => !d.Requires.IsPublic && !d.Requires.AnySession && d.Requires.Umbrellas.IsEmpty).Select(d => d.Name).ToList();
        Assert.That(operatorOnly, Has.Count.GreaterThan(5));
        var before = await Host.SnapshotExceptAsync("sessions");

        foreach (var function in operatorOnly)
        {
            var frame = await _narrowKey.CallAsync(function, "{}");
            Assert.That(frame.ErrorCode(), Is.EqualTo(20), $"socket {function}: {frame.O}");
            var overToken = await Host.PostAsync("/AP/" + function, "{}", _keyToken);
            Assert.That(overToken.Json.GetProperty("errorcode").GetInt32(), Is.EqualTo(20), $"HTTP aptoken {function}: {overToken}");
            var overHeaders = await SignedPostAsync("/AP/" + function, "{}");
            Assert.That(overHeaders.Json.GetProperty("errorcode").GetInt32(), Is.EqualTo(20), $"HTTP key headers {function}: {overHeaders}");
        }

        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before), "refused operator calls change nothing");

        var external = "narrow-" + Guid.NewGuid().ToString("N")[..8];
        await Admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = external, Password = "password-123", ExternalUserId = external } }));
        before = await Host.SnapshotExceptAsync("sessions");
        var body = JsonSerializer.Serialize(new { ExternalUserId = external });
        Assert.That((await Host.PostAsync("/accounts/1/accountUsers", body, _keyToken)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await SignedPostAsync("/accounts/1/accountUsers", body)).Status, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Host.SnapshotExceptAsync("sessions"), Is.EqualTo(before), "a refused call changes nothing");
    }

    private Task<HttpReply> SignedPostAsync(string path, string body)
    {
        var nonce = ApiKeys.NewNonce().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, path))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("APIKey", _key.Key);
        request.Headers.Add("Signature", ApiKeys.Sign(_key, nonce));
        request.Headers.Add("UserId", "1");
        request.Headers.Add("Nonce", nonce);
        return Host.SendAsync(request);
    }

    private static Decision Expected(Access requires, Caller caller) => caller switch
    {
        _ when requires.IsPublic => Decision.Public,
        Caller.Operator => Decision.Allowed,
        Caller.Trading or Caller.NarrowedKey when requires.AnySession => Decision.Allowed,
        Caller.Trading or Caller.NarrowedKey when requires.Umbrellas.Contains(PermissionNames.Trading) => Decision.Allowed,
        _ => Decision.Refused,
    };

    private TestClient SocketFor(Caller caller) => caller switch
    {
        Caller.Anonymous => _anonymous,
        Caller.Trading => _trading,
        Caller.NarrowedKey => _narrowKey,
        _ => Admin,
    };

    private string? TokenFor(Caller caller) => caller switch
    {
        Caller.Anonymous => null,
        Caller.Trading => _tradingToken,
        Caller.NarrowedKey => _keyToken,
        _ => _operatorToken,
    };

    // Runs one request with the recorder cleared and returns the one decision the authorizer made for it.
    private Task<Decision> DecisionOfAsync<T>(Func<Task<T>> send, out Task<T> reply)
    {
        _recorder.Clear();
        var sent = send();
        reply = sent;
        return DecideAsync(sent);

        async Task<Decision> DecideAsync(Task<T> pending)
        {
            await pending;
            var decisions = _recorder.Decisions;
            Assert.That(decisions, Has.Count.EqualTo(1), "the authorizer must decide each call exactly once");
            return decisions[0];
        }
    }

    public enum Decision
    {
        Public,
        Allowed,
        Refused,
    }

    /// <summary>Wraps the real authorizer and notes each decision it makes.</summary>
    private sealed class RecordingAuthorizer
    {
        private readonly ConcurrentQueue<Decision> _decisions = new();

        public IReadOnlyList<Decision> Decisions => [.. _decisions];

        public void Clear() => _decisions.Clear();

        public ICallAuthorizer Wrap(ICallAuthorizer inner) => new Recording(inner, _decisions);

        private sealed class Recording(ICallAuthorizer inner, ConcurrentQueue<Decision> decisions) : ICallAuthorizer
        {
            public async ValueTask AuthorizeAsync(CallDescriptor target, CallContext call, CancellationToken ct)
            {
                try
                {
                    await inner.AuthorizeAsync(target, call, ct);
                }
                catch (Gateway.Core.Protocol.GatewayException)
                {
                    decisions.Enqueue(Decision.Refused);
                    throw;
                }
                decisions.Enqueue(target.Requires.IsPublic ? Decision.Public : Decision.Allowed);
            }
        }
    }
}
