using System.Text;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Failed logins over HTTP with a chosen X-Forwarded-For; the budget is two failures per address.</summary>
public abstract class ForwardedForFixture : HostFixture
{
    protected const string Throttled = "Rate limit exceeded";
    protected const string Refused = "Invalid username or password";

    protected static string[] TwoFailuresPerAddress => ["--Gateway:Limits:FailedLoginsPerAddressPerMinute=2"];

    /// <summary>A login with a wrong password for a user no one has, from <paramref name="forwardedFor"/>; returns its errormsg.</summary>
    protected async Task<string> FailLoginAsync(string userName, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/AuthenticateUser"))
        {
            Content = new StringContent(JsonSerializer.Serialize(new { UserName = userName, Password = "wrong-password" }), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        var reply = await Host.SendAsync(request);
        Assert.That(reply.Json.GetProperty("Authenticated").GetBoolean(), Is.False, reply.ToString());
        return reply.Json.GetProperty("errormsg").GetString()!;
    }

    protected static string NewName() => "xff-" + Guid.NewGuid().ToString("N")[..10];
}

/// <summary>From a listed proxy (127.0.0.1) the forwarded address is the client's: for the throttle and in the log.</summary>
[TestFixture]
public sealed class ForwardedForFromListedProxyTests : ForwardedForFixture
{
    protected override string[] Settings => [.. TwoFailuresPerAddress, "--Gateway:Network:KnownProxies:0=127.0.0.1"];

    [Test]
    public async Task Login_TwoForwardedAddresses_DoNotShareAFailedLoginBudget()
    {
        var name = NewName();
        Assert.That(await FailLoginAsync(name, "203.0.113.10"), Is.EqualTo(Refused));
        Assert.That(await FailLoginAsync(name, "203.0.113.10"), Is.EqualTo(Refused));
        Assert.That(await FailLoginAsync(name, "203.0.113.10"), Is.EqualTo(Throttled));

        Assert.That(await FailLoginAsync(name, "203.0.113.11"), Is.EqualTo(Refused), "a second client behind the proxy shared the first one's budget");
        Assert.That(LogCapture.Lines, Has.Some.StartsWith($"Warning Gateway.Security: Login refused for {name} from 203.0.113.11: unknown_user"));
    }

    [Test]
    public async Task Login_ChainOfAddresses_TheRightmostOneTheProxyAddedIsTheClient()
    {
        var name = NewName();
        // A client may write any X-Forwarded-For it likes; only the entry the listed proxy appended is trusted.
        Assert.That(await FailLoginAsync(name, "192.0.2.1, 203.0.113.20"), Is.EqualTo(Refused));
        Assert.That(LogCapture.Lines, Has.Some.StartsWith($"Warning Gateway.Security: Login refused for {name} from 203.0.113.20: unknown_user"));
    }
}

/// <summary>From a peer that is not listed, X-Forwarded-For is ignored: the address is the TCP peer's.</summary>
[TestFixture]
public sealed class ForwardedForFromUnlistedPeerTests : ForwardedForFixture
{
    protected override string[] Settings => TwoFailuresPerAddress;

    [Test]
    public async Task Login_ForwardedForFromUnlistedPeer_IsIgnoredAndThePeerIsThrottled()
    {
        var name = NewName();
        Assert.That(await FailLoginAsync(name, "203.0.113.30"), Is.EqualTo(Refused));
        Assert.That(await FailLoginAsync(name, "203.0.113.31"), Is.EqualTo(Refused));

        Assert.That(await FailLoginAsync(name, "203.0.113.32"), Is.EqualTo(Throttled), "the header gave the peer a fresh budget");
        var lines = LogCapture.Lines.Where(l => l.Contains(name, StringComparison.Ordinal)).ToList();
        Assert.That(lines, Has.Some.StartsWith($"Warning Gateway.Security: Login refused for {name} from 127.0.0.1: unknown_user"));
        Assert.That(lines, Has.None.Contains("203.0.113."));
    }
}
