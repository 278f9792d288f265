using System.Threading.RateLimiting;
using Gateway.Core;

namespace Gateway.Sockets;

/// <summary>What to do with one request under the socket's rate limit.</summary>
internal enum RateVerdict
{
    /// <summary>Run it.</summary>
    Run,
    /// <summary>Answer errorcode 101 without running it.</summary>
    Refuse,
    /// <summary>Answer errorcode 101 and close the socket: it has stayed far over the limit too long.</summary>
    RefuseAndClose,
}

/// <summary>
/// One socket's request rate: a token bucket, plus a watch for a client that stays far over it. "Far over" is a second
/// in which more requests were refused than the rate allows (the client sends over twice the rate); that many
/// seconds in a row, <see cref="LimitOptions.RateLimitCloseAfterSeconds"/>, close the socket.
/// </summary>
internal sealed class RequestRate : IDisposable
{
    private readonly TokenBucketRateLimiter _bucket;
    private readonly TimeProvider _time;
    private readonly long _opened;
    private readonly int _farOver;
    private readonly int _closeAfter;
    private readonly int _limit;
    private long _second = -1;
    private int _refusedThisSecond;
    private long _streakStart = -1;
    private long _lastFarSecond = -2;

    public RequestRate(LimitOptions limits, TimeProvider time)
    {
        _limit = Math.Max(1, limits.RequestBurst);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = _limit,
            TokensPerPeriod = Math.Max(1, limits.RequestsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        _time = time;
        _opened = time.GetTimestamp();
        _farOver = Math.Max(1, limits.RequestsPerSecond);
        _closeAfter = Math.Max(1, limits.RateLimitCloseAfterSeconds);
    }

    /// <summary>Takes a token for one request; only the read loop calls this, so the watch needs no lock.</summary>
    public RateVerdict Admit()
    {
        using (var lease = _bucket.AttemptAcquire())
        {
            if (lease.IsAcquired)
                return RateVerdict.Run;
        }

        var second = (long)_time.GetElapsedTime(_opened).TotalSeconds;
        if (second != _second)
        {
            if (_refusedThisSecond > _farOver)
            {
                _streakStart = _lastFarSecond == _second - 1 && _streakStart >= 0 ? _streakStart : _second;
                _lastFarSecond = _second;
            }
            _second = second;
            _refusedThisSecond = 0;
        }
        _refusedThisSecond++;
        if (_refusedThisSecond <= _farOver)
            return RateVerdict.Refuse;
        var start = _lastFarSecond == second - 1 ? _streakStart : second;
        return second - start >= _closeAfter ? RateVerdict.RefuseAndClose : RateVerdict.Refuse;
    }

    /// <summary>
    /// Takes <paramref name="count"/> tokens at once, or none (a Batch's further items, from the call that runs it; the
    /// bucket is thread-safe). Refusals here do not feed the far-over watch, which counts frames.
    /// </summary>
    public bool TryTake(int count)
    {
        if (count <= 0)
            return true;
        if (count > _limit)
            return false;
        using var lease = _bucket.AttemptAcquire(count);
        return lease.IsAcquired;
    }

    public void Dispose() => _bucket.Dispose();
}
