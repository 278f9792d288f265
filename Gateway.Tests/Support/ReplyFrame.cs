using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>A frame the gateway sent, with its payload parsed.</summary>
public sealed record ReplyFrame(int M, long I, string N, string O, string Raw)
{
    public JsonElement Payload => JsonDocument.Parse(O).RootElement;

    public static ReplyFrame? TryParse(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            return new ReplyFrame(root.GetProperty("m").GetInt32(), root.GetProperty("i").GetInt64(),
                root.GetProperty("n").GetString()!, root.GetProperty("o").GetString()!, text);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
