using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// Failed logins per remote address: once an address has failed <see cref="LimitOptions.FailedLoginsPerAddressPerMinute"/>
/// times within a minute of its first failure, its logins are refused unchecked until that minute has passed.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<GatewayOptions> options)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<string, Failures> _byAddress = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="address"/> may not try a login now.</summary>
    public bool IsBlocked(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _byAddress.TryGetValue(address, out var failures) && failures.Count(time.GetUtcNow()) >= Limit;
    }

    /// <summary>Counts one failed login from <paramref name="address"/>.</summary>
    public void RecordFailure(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        if (_byAddress.Count > PruneAbove)
        {
            // Keeps memory bounded when many addresses fail once: their windows have passed.
            foreach (var (key, stale) in _byAddress)
                if (stale.Count(now) == 0)
                    _byAddress.TryRemove(new KeyValuePair<string, Failures>(key, stale));
        }
        _byAddress.GetOrAdd(address, _ => new Failures()).Add(now);
    }

    private int Limit => options.Value.Limits.FailedLoginsPerAddressPerMinute;

    private sealed class Failures
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _windowStart;
        private int _count;

        public int Count(DateTimeOffset now)
        {
            lock (_lock)
                return now - _windowStart < Window ? _count : 0;
        }

        public void Add(DateTimeOffset now)
        {
            lock (_lock)
            {
                if (now - _windowStart >= Window)
                {
                    _windowStart = now;
                    _count = 0;
                }
                _count++;
            }
        }
    }
}
