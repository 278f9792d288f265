using Gateway.Core.Sessions;

namespace Gateway.Tests.Sessions;

[TestFixture]
public sealed class FixedWindowCountsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public void TryTake_ManyThreadsAtOnce_AdmitsExactlyTheLimit()
    {
        var counts = new FixedWindowCounts<string>(StringComparer.Ordinal);
        var admitted = 0;

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (counts.TryTake("10.0.0.1", 20, Start) is not null)
                Interlocked.Increment(ref admitted);
        });

        Assert.That(admitted, Is.EqualTo(20));
    }

    [Test]
    public void Give_InTheSameWindow_AdmitsOneMore()
    {
        var counts = new FixedWindowCounts<int>();
        var first = counts.TryTake(7, 2, Start)!;
        Assert.That(counts.TryTake(7, 2, Start.AddSeconds(1)), Is.Not.Null);
        Assert.That(counts.TryTake(7, 2, Start.AddSeconds(2)), Is.Null);

        FixedWindowCounts<int>.Give(first);

        Assert.That(counts.TryTake(7, 2, Start.AddSeconds(3)), Is.Not.Null);
        Assert.That(counts.TryTake(7, 2, Start.AddSeconds(4)), Is.Null);
    }

    [Test]
    public void Give_AfterTheWindowRolledOver_DoesNotAddToTheNewWindow()
    {
        var counts = new FixedWindowCounts<int>();
        var old = counts.TryTake(7, 1, Start)!;
        Assert.That(counts.TryTake(7, 1, Start.AddSeconds(61)), Is.Not.Null);

        FixedWindowCounts<int>.Give(old);

        Assert.That(counts.TryTake(7, 1, Start.AddSeconds(62)), Is.Null);
    }

    [Test]
    public void TryTake_WhilePastWindowsArePruned_StillAdmitsExactlyTheLimit()
    {
        var counts = new FixedWindowCounts<int>();
        for (var key = 0; key < 5_000; key++)
            counts.TryTake(key, 1, Start);
        var later = Start.AddMinutes(2);
        var admitted = 0;

        // Every take sees more than 4,096 keys and prunes, retiring counters while other threads take from them.
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            if (counts.TryTake(n % 4, 3, later) is not null)
                Interlocked.Increment(ref admitted);
        });

        Assert.That(admitted, Is.EqualTo(12));
    }
}
