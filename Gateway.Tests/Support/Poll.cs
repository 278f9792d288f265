namespace Gateway.Tests.Support;

/// <summary>Waits for a condition that nothing signals, checking it often, and fails the test at the deadline.</summary>
public static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string failure, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(deadline);
        while (!condition())
        {
            try
            {
                await Task.Delay(Interval, timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (condition())
                    return;
                Assert.Fail($"{failure} within {deadline.TotalSeconds:0.#} s");
            }
        }
    }
}
