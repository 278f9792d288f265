using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>An HTTP response as a test reads it: status, media type, headers and the body text.</summary>
public sealed record HttpReply(HttpStatusCode Status, string? MediaType, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public override string ToString() => $"{(int)Status} {MediaType} {Body}";
}

/// <summary>Plain HttpClient calls against a test host's HTTP endpoints; every request has a 15 s deadline.</summary>
public static class HttpApi
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>POSTs <paramref name="body"/> (null: no body at all) as <paramref name="mediaType"/>.</summary>
    public static Task<HttpReply> PostAsync(this TestHost host, string path, string? body, string? token = null, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.HttpUri, path));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        return host.SendAsync(request, token);
    }

    public static Task<HttpReply> GetAsync(this TestHost host, string path, string? token = null) =>
        host.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(host.HttpUri, path)), token);

    /// <summary>Sends <paramref name="request"/> with an <c>aptoken</c> header when a token is given.</summary>
    public static async Task<HttpReply> SendAsync(this TestHost host, HttpRequestMessage request, string? token = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        using (request)
        {
            if (token is not null)
                request.Headers.TryAddWithoutValidation("aptoken", token);
            using var response = await Client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return new HttpReply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers);
        }
    }

    /// <summary>Logs in by <c>POST /AP/AuthenticateUser</c> and fails the test unless it succeeded; returns the session token.</summary>
    public static async Task<string> LoginOverHttpAsync(this TestHost host, string userName, string password)
    {
        var reply = await host.PostAsync("/AP/AuthenticateUser", JsonSerializer.Serialize(new { UserName = userName, Password = password }));
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), reply.ToString());
        Assert.That(reply.Json.GetProperty("Authenticated").GetBoolean(), Is.True, reply.ToString());
        return reply.Json.GetProperty("SessionToken").GetString()!;
    }

    /// <summary>An <c>Authorization: Basic</c> header value.</summary>
    public static AuthenticationHeaderValue Basic(string userName, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{userName}:{password}")));
}
