using System.Globalization;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Cluster;

/// <summary>
/// Events (protocol section 10) across nodes: an operator following every user (<c>UserId</c> 0) on node A gets the
/// changes made through nodes B and C, in <c>Sequence</c> order and without a gap in the <c>PrevSequence</c> chain.
/// When A is killed the subscriber reconnects to B, resumes its session by token and subscribes again from the last
/// <c>Sequence</c> it got; in the end it holds every change of the run exactly once, in order. Needs node A to deliver
/// changes committed by other nodes (cross-node notification).
/// </summary>
[TestFixture]
public sealed class EventsFollowChangesOfEveryNodeTests : ClusterFixture
{
    private const int ChangesPerPhase = 500;
    private const int WritersPerNode = 2;
    private const string Key = "n";
    private const string EndMarker = "end";
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(40);


    [Test]
    [CancelAfter(180_000)]
    public async Task SubscriberOnNodeA_GetsChangesOfBAndCInOrder_AndAfterAIsKilledResumesOnBWithEveryChangeOnce(CancellationToken ct)
    {
        await using var cluster = await NodeCluster.StartAsync();
        using var setup = await TestClient.ConnectAsync(cluster.WsUri(1));
        var writerToken = await setup.LoginAsync("admin", TestHost.AdminPassword);
        // Each node's writes change the config of a user of their own, so an event tells by its UserId and value which write made it.
        var targets = new[] { await setup.CreateUserAsync(Name("x")), await setup.CreateUserAsync(Name("y")) };
        var writers = new List<Writer>();
        foreach (var (node, target) in new[] { (1, targets[0]), (2, targets[1]) })
        {
            for (var i = 0; i < WritersPerNode; i++)
                writers.Add(new Writer(await ClusterSteps.ConnectResumedAsync(cluster.WsUri(node), writerToken), target, $"{"abc"[node]}{i}"));
        }

        try
        {
            var subscriber = await TestClient.ConnectAsync(cluster.WsUri(0));
            var subscriberToken = await subscriber.LoginAsync("admin", TestHost.AdminPassword);
            var feed = new Feed(targets);
            await feed.SubscribeAsync(subscriber, fromSequence: null);

            // Before the kill: every change made through B and C reaches the subscriber on A.
            var before = writers.Select(w => w.WriteAsync(ChangesPerPhase / writers.Count)).ToList();
            await feed.ReadUntilAsync(subscriber, () => feed.Changes.Count >= ChangesPerPhase, PhaseDeadline, "before node A was killed");
            await Task.WhenAll(before).WaitAsync(PhaseDeadline, ct);
            Assert.That(feed.Gaps, Is.Empty, "the PrevSequence chain broke on node A");
            Assert.That(feed.Changes, Has.Count.EqualTo(ChangesPerPhase), "node A sent more changes than were made");
            var lastOnA = feed.Last;

            // The kill, while the writers go on through B and C; the subscriber resumes on B from the last Sequence it got.
            await cluster.KillAsync(0);
            subscriber.Dispose();
            var after = writers.Select(w => w.WriteAsync(ChangesPerPhase / writers.Count)).ToList();
            using var resumed = await ClusterSteps.ConnectResumedAsync(cluster.WsUri(1), subscriberToken);
            await feed.SubscribeAsync(resumed, fromSequence: lastOnA);
            await Task.WhenAll(after).WaitAsync(PhaseDeadline, ct);
            // A last change after every counted one: once its event arrives, anything sent twice has arrived too.
            await writers[^1].MarkEndAsync();
            await feed.ReadUntilAsync(resumed, () => feed.EndSeen, PhaseDeadline, "after resuming on node B");

            var expected = writers.SelectMany(w => w.Written).ToList();
            var got = feed.Changes.Select(c => (c.UserId, c.Value)).ToList();
            TestContext.Out.WriteLine(
                $"changes made {expected.Count}; events received {got.Count}, distinct {got.Distinct().Count()}; last Sequence on A {lastOnA}, " +
                $"resubscribed on B from it; chain gaps {feed.Gaps.Count}");
            Assert.Multiple(() =>
            {
                Assert.That(feed.Gaps, Is.Empty, "the PrevSequence chain broke");
                Assert.That(got, Is.Unique, "a change arrived twice");
                Assert.That(got, Is.EquivalentTo(expected), "the changes received are not the changes made");
                Assert.That(feed.Changes.Select(c => c.Sequence), Is.Ordered.Ascending, "the changes did not arrive in Sequence order");
                // Each writer waits for each reply, so its own changes commit, and must arrive, in the order it made them.
                foreach (var writer in writers)
                    Assert.That(got.Where(c => c.Value.StartsWith(writer.Prefix + "-", StringComparison.Ordinal)).Select(c => c.Value),
                        Is.EqualTo(writer.Written.Select(w => w.Value)), $"writer {writer.Prefix}'s changes arrived out of order");
            });
        }
        finally
        {
            foreach (var writer in writers)
                writer.Client.Dispose();
        }
    }

    private static string Name(string what) => $"events-{what}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>One writer socket: SetUserConfig of its target user's key <c>n</c> to <c>&lt;prefix&gt;-&lt;k&gt;</c>, one call at a time.</summary>
    private sealed class Writer(TestClient client, int target, string prefix)
    {
        private int _next;

        public TestClient Client => client;

        public string Prefix => prefix;

        /// <summary>Every change this writer made and saw acknowledged, in order.</summary>
        public List<(int UserId, string Value)> Written { get; } = [];

        public async Task WriteAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                var value = $"{prefix}-{_next++}";
                await SetAsync(value);
                Written.Add((target, value));
            }
        }

        public Task MarkEndAsync() => SetAsync(EndMarker);

        private async Task SetAsync(string value)
        {
            var reply = await client.CallAsync("SetUserConfig", JsonSerializer.Serialize(new { UserId = target, Config = new[] { new { Key, Value = value } } }));
            Assert.That(reply.ErrorCode(), Is.Zero, $"SetUserConfig {value} failed: {reply.O}");
        }
    }

    /// <summary>What the subscriber got: the config changes of the targets in arrival order, and every break in the chain.</summary>
    private sealed class Feed(int[] targets)
    {
        private long _expectedPrevious;

        public List<(long Sequence, int UserId, string Value)> Changes { get; } = [];

        public List<string> Gaps { get; } = [];

        /// <summary>The Sequence of the last event received, of any kind.</summary>
        public long Last { get; private set; }

        public bool EndSeen { get; private set; }

        /// <summary>Follows every user (<c>UserId</c> 0) on <paramref name="client"/>, from <paramref name="fromSequence"/> when given.</summary>
        public async Task SubscribeAsync(TestClient client, long? fromSequence)
        {
            var payload = fromSequence is { } from ? JsonSerializer.Serialize(new { UserId = 0, FromSequence = from }) : JsonSerializer.Serialize(new { UserId = 0 });
            var reply = await client.CallAsync("SubscribeUserEvents", payload, m: 2);
            Assert.That(reply.ErrorCode(), Is.Zero, $"SubscribeUserEvents failed: {reply.O}");
            // A new stream's first PrevSequence is the FromSequence it was given, else 0.
            _expectedPrevious = fromSequence ?? 0;
        }

        /// <summary>Reads the event frames of <paramref name="client"/> until <paramref name="done"/> holds; fails the test at the deadline.</summary>
        public async Task ReadUntilAsync(TestClient client, Func<bool> done, TimeSpan deadline, string when)
        {
            var end = DateTime.UtcNow + deadline;
            while (!done())
            {
                var left = end - DateTime.UtcNow;
                ReplyFrame frame;
                try
                {
                    frame = await client.NextFrameAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"{when}: {Changes.Count} changes received within {deadline.TotalSeconds:0} s, last Sequence {Last}, gaps: {string.Join("; ", Gaps)}");
                    return;
                }
                if (frame.M == 3)
                    Take(frame);
            }
        }

        private void Take(ReplyFrame frame)
        {
            var payload = frame.Payload;
            var sequence = payload.GetProperty("Sequence").GetInt64();
            var previous = payload.GetProperty("PrevSequence").GetInt64();
            if (previous != _expectedPrevious)
                Gaps.Add(string.Create(CultureInfo.InvariantCulture, $"Sequence {sequence} has PrevSequence {previous}, expected {_expectedPrevious}"));
            _expectedPrevious = sequence;
            Last = sequence;
            var userId = payload.GetProperty("UserId").GetInt32();
            if (frame.N != "UserConfigEvent" || !targets.Contains(userId))
                return;
            var value = payload.GetProperty("UserConfig").EnumerateArray()
                .Where(item => item.GetProperty("Key").GetString() == Key).Select(item => item.GetProperty("Value").GetString()!).Single();
            if (value == EndMarker)
                EndSeen = true;
            else
                Changes.Add((sequence, userId, value));
        }
    }
}
