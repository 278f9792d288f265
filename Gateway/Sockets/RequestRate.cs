using System.Diagnostics;
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
/// <remarks>
/// The bucket starts full and gains <see cref="LimitOptions.RequestsPerSecond"/> tokens at each whole second since
/// the socket opened, up to <see cref="LimitOptions.RequestBurst"/>, as System.Threading.RateLimiting's token bucket
/// does with auto-replenishment. It is filled when a request looks at it rather than by a timer: a timer per socket
/// (10,000 sockets, 10,000 timer callbacks a second) cost the traders benchmark 14% of the gateway's CPU in
/// TimerQueue.FireNextTimers.
/// </remarks>
internal sealed class RequestRate
{
    private static readonly long Period = Stopwatch.Frequency;

    private readonly Lock _bucket = new();
    private readonly long _perPeriod;
    private long _tokens;
    private long _nextFill;
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
        _perPeriod = Math.Max(1, limits.RequestsPerSecond);
        _tokens = _limit;
        _nextFill = Stopwatch.GetTimestamp() + Period;
        _time = time;
        _opened = time.GetTimestamp();
        _farOver = Math.Max(1, limits.RequestsPerSecond);
        _closeAfter = Math.Max(1, limits.RateLimitCloseAfterSeconds);
    }

    /// <summary>Takes a token for one request; only the read loop calls this, so the watch needs no lock.</summary>
    public RateVerdict Admit()
    {
        if (TryAcquire(1))
            return RateVerdict.Run;

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
    /// bucket takes a lock). Refusals here do not feed the far-over watch, which counts frames.
    /// </summary>
    public bool TryTake(int count)
    {
        if (count <= 0)
            return true;
        if (count > _limit)
            return false;
        return TryAcquire(count);
    }

    private bool TryAcquire(int count)
    {
        lock (_bucket)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= _nextFill)
            {
                var periods = ((now - _nextFill) / Period) + 1;
                _tokens = Math.Min(_limit, _tokens + (periods * _perPeriod));
                _nextFill += periods * Period;
            }
            if (_tokens < count)
                return false;
            _tokens -= count;
            return true;
        }
    }
}
