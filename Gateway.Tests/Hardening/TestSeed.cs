namespace Gateway.Tests.Hardening;

/// <summary>The seed of a randomized test: <c>GATEWAY_TEST_SEED</c> when set (to replay a failure), else a new one.</summary>
public static class TestSeed
{
    public static int Next(string test)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("GATEWAY_TEST_SEED"), out var pinned) ? pinned : Environment.TickCount;
        TestContext.Out.WriteLine($"{test} seed {seed} (replay with GATEWAY_TEST_SEED={seed})");
        return seed;
    }
}
