using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Gateway.Core.Protocol;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The gateway's instruments under the meter <see cref="MeterName"/> (operations.md section 4). The meter comes from
/// the container's <see cref="IMeterFactory"/>, so each host counts only its own work even when several run in one
/// process; the host exports them. Every tag value is one of a fixed set, never a client's text.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>The meter every gateway instrument belongs to.</summary>
    public const string MeterName = "ExchangeGateway";

    /// <summary>The <c>function</c> tag of a call naming no known function: the client's text never becomes a tag.</summary>
    public const string UnknownFunction = "unknown";

    // A Ping takes tens of microseconds and a durable commit milliseconds: the exporter's default buckets (0 to 10,000)
    // are meant for milliseconds and would put every call in the first one.
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private static readonly InstrumentAdvice<long> WritesBuckets = new() { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] };

    private readonly Meter _meter;
    // gateway.calls is counted here and read by the exporter at each collection (an observable counter): on the hot
    // path an increment found by key costs a fraction of the SDK's per-measurement tag lookup (about 3% of
    // GetUserAccounts' CPU in a profile).
    private readonly ConcurrentDictionary<(string Function, string ErrorCode, string Transport), StrongBox<long>> _calls = new();
    private readonly Histogram<double> _callDuration;
    private readonly UpDownCounter<long> _socketsOpen;
    private readonly Counter<long> _loginsFailed;
    private readonly Counter<long> _rateLimitRefused;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<long> _commitWrites;
    private readonly Counter<long> _eventsSent;
    private int _observing;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/>.</summary>
    public GatewayMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(MeterName);
        _meter.CreateObservableCounter("gateway.calls", ObserveCalls, "{call}", "Calls answered, by function, errorcode and transport");
        _callDuration = _meter.CreateHistogram("gateway.call.duration", "s", "Time from a call's dispatch to its answer", tags: null, SecondsBuckets);
        _socketsOpen = _meter.CreateUpDownCounter<long>("gateway.sockets.open", "{socket}", "WebSockets open now");
        _loginsFailed = _meter.CreateCounter<long>("gateway.logins.failed", "{login}", "Logins refused, by reason");
        _rateLimitRefused = _meter.CreateCounter<long>("gateway.ratelimit.refused", "{request}", "Requests refused by a limit, by limit");
        _commitDuration = _meter.CreateHistogram("gateway.db.commit.duration", "s", "Time one group commit took, from BEGIN to COMMIT", tags: null, SecondsBuckets);
        _commitWrites = _meter.CreateHistogram("gateway.db.commit.writes", "{write}", "Writes carried by one group commit", tags: null, WritesBuckets);
        _eventsSent = _meter.CreateCounter<long>("gateway.events.sent", "{event}", "Events sent to subscribers, by event (the gateway has no events yet)");
    }

    /// <summary>Counts one answered call and records its duration; <paramref name="function"/> must be a canonical name or <see cref="UnknownFunction"/>.</summary>
    public void CallAnswered(string function, ErrorCode code, CallTransport transport, TimeSpan elapsed)
    {
        var count = _calls.GetOrAdd((function, ErrorCodeTag(code), transport == CallTransport.Http ? "http" : "ws"), static _ => new StrongBox<long>());
        Interlocked.Increment(ref count.Value);
        if (_callDuration.Enabled)
            _callDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("function", function));
    }

    /// <summary>True when anyone listens to the call instruments, so the caller may skip timing a call.</summary>
    public bool TimesCalls => _callDuration.Enabled;

    /// <summary>Counts a WebSocket that opened.</summary>
    public void SocketOpened() => _socketsOpen.Add(1);

    /// <summary>Counts a WebSocket that closed.</summary>
    public void SocketClosed() => _socketsOpen.Add(-1);

    /// <summary>Counts a refused login.</summary>
    public void LoginFailed(LoginFailure reason) =>
        _loginsFailed.Add(1, new KeyValuePair<string, object?>("reason", reason.Tag()));

    /// <summary>Counts a request refused by <paramref name="limit"/>.</summary>
    public void RateLimitRefused(RateLimit limit) =>
        _rateLimitRefused.Add(1, new KeyValuePair<string, object?>("limit", limit.Tag()));

    /// <summary>Records one group commit: how long it took and how many writes it carried.</summary>
    public void Committed(TimeSpan elapsed, int writes)
    {
        _commitDuration.Record(elapsed.TotalSeconds);
        _commitWrites.Record(writes);
    }

    /// <summary>Counts an event sent to a subscriber; <paramref name="eventName"/> must be one of the gateway's event names.</summary>
    public void EventSent(string eventName) =>
        _eventsSent.Add(1, new KeyValuePair<string, object?>("event", eventName));

    /// <summary>
    /// Creates the two gauges read at each collection: <c>gateway.sessions.active</c> from <paramref name="activeSessions"/>
    /// and <c>gateway.replies.queued</c> from <paramref name="queuedReplies"/>. Only the first call has an effect.
    /// </summary>
    public void ObserveGauges(Func<int> activeSessions, Func<long> queuedReplies)
    {
        ArgumentNullException.ThrowIfNull(activeSessions);
        ArgumentNullException.ThrowIfNull(queuedReplies);
        if (Interlocked.Exchange(ref _observing, 1) == 1)
            return;
        _meter.CreateObservableGauge("gateway.sessions.active", activeSessions, "{session}", "Sessions live in memory now");
        _meter.CreateObservableGauge("gateway.replies.queued", queuedReplies, "{reply}", "Replies waiting to be sent, summed over every socket");
    }

    private IEnumerable<Measurement<long>> ObserveCalls()
    {
        foreach (var ((function, errorCode, transport), count) in _calls)
        {
            yield return new Measurement<long>(Interlocked.Read(ref count.Value), new KeyValuePair<string, object?>("function", function),
                new KeyValuePair<string, object?>("errorcode", errorCode), new KeyValuePair<string, object?>("transport", transport));
        }
    }

    private static string ErrorCodeTag(ErrorCode code) => code switch
    {
        ErrorCode.None => "0",
        ErrorCode.NotAuthorized => "20",
        ErrorCode.InvalidRequest => "100",
        ErrorCode.OperationFailed => "101",
        ErrorCode.ServerError => "102",
        ErrorCode.ResourceNotFound => "104",
        ErrorCode.OperationNotSupported => "106",
        _ => "other",
    };
}
