using Gateway.Tests.Support;

namespace Gateway.Tests.Hardening;

/// <summary>
/// An anonymous socket sending frames whose function name is 60,000 characters long: each is answered 106 without the
/// name echoed whole, the log grows by lines of bounded size only, and the memory it cost is given back.
/// </summary>
[TestFixture]
public sealed class LogFloodTests : HostFixture
{
    private const int Frames = 1_500;
    private const int NameLength = 60_000;

    protected override string[] Settings => ["--Gateway:Limits:RequestsPerSecond=100000", "--Gateway:Limits:RequestBurst=100000"];

    [Test]
    [CancelAfter(120_000)]
    public async Task AnonymousSocket_HugeFunctionNames_Answer106ClippedAndTheLogAndMemoryStayBounded(CancellationToken ct)
    {
        using var client = await Host.ConnectAsync();
        Assert.That((await client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
        var liveBefore = LiveBytes();
        var linesBefore = LogCapture.Lines.Count;
        var name = new string('A', NameLength - 40) + "\n2026-12-01 INFO forged line from a client";

        var replies = new List<Task<ReplyFrame>>();
        for (var k = 0; k < Frames; k++)
        {
            replies.Add(client.Expect(2 * k + 1));
            client.Send(TestClient.Frame(0, 2 * k + 1, name, "{}"));
            if (k % 100 == 99)
                await replies[^1].WaitAsync(TimeSpan.FromSeconds(30), ct);
        }
        var answered = await Task.WhenAll(replies).WaitAsync(TimeSpan.FromSeconds(60), ct);

        var added = LogCapture.Lines.Skip(linesBefore).ToList();
        var shown = added.Where(l => !l.StartsWith("Debug", StringComparison.Ordinal) && !l.StartsWith("Trace", StringComparison.Ordinal)).ToList();
        var shownBytes = shown.Sum(l => l.Length);
        var liveAfter = LiveBytes();
        TestContext.Out.WriteLine($"{added.Count} lines captured, {shown.Count} at Information or above ({shownBytes} chars); live memory {liveBefore / 1048576.0:F1} -> {liveAfter / 1048576.0:F1} MiB");

        Assert.That(answered.Select(r => r.M), Is.All.EqualTo(5));
        Assert.That(answered.Select(r => r.ErrorCode()), Is.All.EqualTo(106));
        Assert.That(answered.Select(r => r.N.Length), Is.All.EqualTo(128), "the name was echoed whole");
        Assert.That(answered[0].Payload.GetProperty("detail").GetString(), Is.EqualTo($"Endpoint Not Found: a function name has at most 128 characters, this one has {name.Length}"));
        Assert.That(shownBytes, Is.LessThan(1_000_000), "the flood grew the log by a megabyte or more");
        Assert.That(added.Max(l => l.Length), Is.LessThan(2_000), "a log line carried the client's name whole");
        Assert.That(added.Any(l => l.Contains("\n2026-12-01 INFO forged", StringComparison.Ordinal)), Is.False, "a client forged a log line");
        Assert.That(liveAfter - liveBefore, Is.LessThan(50L * 1024 * 1024), "the flood's memory was not given back");
        Assert.That((await client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"), "the socket no longer answers");
    }

    private static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
