using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Events;

/// <summary>Reading event frames off a test socket: the next m=3 frame, skipping nothing else silently.</summary>
public static class EventFrames
{
    /// <summary>Subscribes on <paramref name="client"/> and fails the test unless it succeeded; returns the reply's Sequence.</summary>
    public static async Task<long> SubscribeAsync(this TestClient client, string payload = "{}", int m = 2)
    {
        var reply = await client.CallAsync("SubscribeUserEvents", payload, m);
        Assert.That(reply.M, Is.EqualTo(1), reply.Raw);
        Assert.That(reply.Payload.GetProperty("result").GetBoolean(), Is.True, $"SubscribeUserEvents {payload} failed: {reply.O}");
        return reply.Payload.GetProperty("Sequence").GetInt64();
    }

    /// <summary>The next frame the socket got that no call claimed; it must be an event (m=3, i=0).</summary>
    public static async Task<ReplyFrame> NextEventAsync(this TestClient client, TimeSpan? timeout = null)
    {
        var frame = await client.NextFrameAsync(timeout);
        Assert.That((frame.M, frame.I), Is.EqualTo((3, 0L)), $"not an event frame: {frame.Raw}");
        return frame;
    }

    /// <summary>The keys of an event's payload, in order.</summary>
    public static IReadOnlyList<string> Keys(this ReplyFrame frame) => [.. frame.Payload.EnumerateObject().Select(p => p.Name)];

    public static long Sequence(this ReplyFrame frame) => frame.Payload.GetProperty("Sequence").GetInt64();

    public static long PrevSequence(this ReplyFrame frame) => frame.Payload.GetProperty("PrevSequence").GetInt64();

    public static string Json(this JsonElement element) => element.GetRawText();
}
