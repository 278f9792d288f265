using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// Bounds how many password hashes run at once (<see cref="LimitOptions.PasswordChecksAtOnce"/>, by default half the
/// processors), so password work can never take every core; a login that cannot get a slot within
/// <see cref="LimitOptions.PasswordCheckWaitSeconds"/> is turned away instead of queueing without bound.
/// </summary>
public sealed class PasswordGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;
    private readonly TimeProvider _time;

    /// <summary>Sizes the gate from the options.</summary>
    public PasswordGate(TimeProvider time, IOptions<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.Limits;
        Slots = limits.PasswordChecksAtOnce > 0 ? limits.PasswordChecksAtOnce : Math.Max(1, Environment.ProcessorCount / 2);
        _slots = new SemaphoreSlim(Slots, Slots);
        _wait = TimeSpan.FromSeconds(Math.Max(0, limits.PasswordCheckWaitSeconds));
        _time = time;
    }

    /// <summary>How many hashes may run at once.</summary>
    public int Slots { get; }

    /// <summary>A slot to hash in, given back when disposed; null when none came free within the wait.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct)
    {
        if (_slots.Wait(0, CancellationToken.None))
            return new Slot(_slots);
        using var waited = new CancellationTokenSource(_wait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, waited.Token);
        try
        {
            await _slots.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
        return new Slot(_slots);
    }

    /// <summary>
    /// Runs a hash (call it holding a slot) on a thread of its own: a hash blocks its thread for tens of milliseconds, and
    /// on the thread pool it would hold up the replies of every socket queued behind it. The slots bound these threads.
    /// </summary>
    public static Task<T> RunAsync<T>(Func<T> hash) =>
        Task.Factory.StartNew(hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs a hash whose result does not matter (a decoy) as <see cref="RunAsync{T}"/> does.</summary>
    public static Task RunAsync(Action hash) =>
        Task.Factory.StartNew(hash, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                slots.Release();
        }
    }
}
