using System.Net;

namespace Gateway.Tests.Support;

/// <summary>The two ways a public call arrives without a session: a fresh socket, or a POST to <c>/AP/{Name}</c>.</summary>
public enum Transport
{
    Socket,
    Http,
}

/// <summary>Public calls made by a caller that never logged in, over either transport, answering the reply payload's text.</summary>
public static class AnonymousCalls
{
    public static readonly Transport[] Both = [Transport.Socket, Transport.Http];

    /// <summary>One call on a new anonymous socket, or one POST; the payload the gateway answered (HTTP must answer 200).</summary>
    public static async Task<string> CallAnonymousAsync(this TestHost host, Transport transport, string function, string payload)
    {
        if (transport == Transport.Socket)
        {
            using var socket = await host.ConnectAsync();
            var reply = await socket.CallAsync(function, payload);
            Assert.That(reply.M, Is.EqualTo(1), reply.Raw);
            return reply.O;
        }
        var http = await host.PostAsync($"/AP/{function}", payload);
        Assert.That(http.Status, Is.EqualTo(HttpStatusCode.OK), http.ToString());
        return http.Body;
    }

    /// <summary>Many calls on one anonymous socket at once, or as many POSTs (<paramref name="parallel"/> at a time); the payloads in order.</summary>
    public static async Task<IReadOnlyList<string>> CallManyAnonymousAsync(this TestHost host, Transport transport, string function, IReadOnlyList<string> payloads, int parallel = 16)
    {
        if (transport == Transport.Socket)
        {
            using var socket = await host.ConnectAsync();
            var replies = await Task.WhenAll(payloads.Select(p => socket.CallAsync(function, p, timeout: TimeSpan.FromSeconds(120))));
            return [.. replies.Select(r => r.O)];
        }
        var results = new string[payloads.Count];
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(payloads.Select(async (p, i) =>
        {
            await gate.WaitAsync();
            try
            {
                var http = await host.PostAsync($"/AP/{function}", p);
                Assert.That(http.Status, Is.EqualTo(HttpStatusCode.OK), http.ToString());
                results[i] = http.Body;
            }
            finally
            {
                gate.Release();
            }
        }));
        return results;
    }
}
