using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gateway.Http;

/// <summary>Turns an HTTP request into the payload bytes a call takes: the JSON body, the query string, or Basic credentials.</summary>
internal static class HttpPayload
{
    private static readonly byte[] Empty = "{}"u8.ToArray();

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes; an empty body is <c>{}</c>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit)
            return null;
        var buffer = new ArrayBufferWriter<byte>(Math.Min(limit, 4096));
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), ct).ConfigureAwait(false);
            if (read == 0)
                break;
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
                return null;
        }
        return buffer.WrittenCount == 0 ? Empty : buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The query string as a JSON object. Values stay strings (integer keys accept numeric strings) except
    /// <c>true</c> and <c>false</c>, which become booleans so flag keys can be set.
    /// </summary>
    public static byte[] FromQuery(IQueryCollection query)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            foreach (var (key, values) in query)
            {
                var value = values.FirstOrDefault() ?? "";
                if (bool.TryParse(value, out var flag))
                    writer.WriteBoolean(key, flag);
                else
                    writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The user name and password of an <c>Authorization: Basic</c> header, or null.</summary>
    public static (string UserName, string Password)? BasicCredentials(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
            return null;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>An AuthenticateUser payload for Basic credentials.</summary>
    public static byte[] Login((string UserName, string Password) credentials) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["UserName"] = credentials.UserName, ["Password"] = credentials.Password },
            Core.Protocol.GatewayJson.Context.DictionaryStringString);

    /// <summary>The four API-key headers (<c>APIKey</c>, <c>Signature</c>, <c>UserId</c>, <c>Nonce</c>), or null when APIKey is absent.</summary>
    public static Core.Sessions.SignedLogin? SignedHeaders(HttpRequest request)
    {
        var headers = request.Headers;
        return headers["APIKey"].FirstOrDefault() is { Length: > 0 } apiKey
            ? new Core.Sessions.SignedLogin(apiKey, headers["Signature"].FirstOrDefault(), headers["UserId"].FirstOrDefault(), headers["Nonce"].FirstOrDefault())
            : null;
    }

    /// <summary>An AuthenticateUser payload for the API-key headers.</summary>
    public static byte[] Login(Core.Sessions.SignedLogin signed) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["APIKey"] = signed.ApiKey ?? "",
            ["Signature"] = signed.Signature ?? "",
            ["UserId"] = signed.UserId ?? "",
            ["Nonce"] = signed.Nonce ?? "",
        }, Core.Protocol.GatewayJson.Context.DictionaryStringString);
}
