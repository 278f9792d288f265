using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>The steps the cluster tests share: a session opened on one node and carried to sockets on the others.</summary>
public static class ClusterSteps
{
    /// <summary>Category of the tests that run several gateway processes on one PostgreSQL database.</summary>
    public const string Category = "Cluster";

    /// <summary>Skips the calling test, with the reason, where no PostgreSQL server can be started.</summary>
    public static void RequirePostgres()
    {
        if (NodeCluster.SkipReason is { } reason)
            Assert.Ignore(reason);
    }

    /// <summary>
    /// Logs this socket into the session of <paramref name="token"/> (<c>WebAuthenticateUser {"SessionToken"}</c>), as a
    /// client that reconnects does, and fails the test unless the gateway accepted it.
    /// </summary>
    public static async Task ResumeAsync(this TestClient client, string token, TimeSpan? timeout = null)
    {
        var reply = await client.CallAsync("WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token }), timeout: timeout);
        Assert.That(reply.Payload.TryGetProperty("Authenticated", out var ok) && ok.GetBoolean(), Is.True, $"resuming by token failed: {reply.O}");
    }

    /// <summary>A new socket on <paramref name="uri"/> logged into the session of <paramref name="token"/>.</summary>
    public static async Task<TestClient> ConnectResumedAsync(Uri uri, string token)
    {
        var client = await TestClient.ConnectAsync(uri);
        try
        {
            await client.ResumeAsync(token);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }
}
