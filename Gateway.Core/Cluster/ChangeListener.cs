using System.Threading.Channels;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Core.Cluster;

/// <summary>
/// PostgreSQL only: hears the other nodes' commits (LISTEN on <see cref="ChangeNotice.Channel"/>, on a connection of its
/// own) and makes this node follow them: the read cache is dropped, the other nodes' audit rows are announced to the
/// <see cref="CommitFeed"/> (so events reach this node's subscribers in Id order), and live sessions whose rows are gone
/// are closed with 1008. While the connection is lost, nothing this node caches could be trusted: the cache is bypassed
/// until it is back, and then everything missed is caught up. On SQLite it does nothing.
/// </summary>
internal sealed partial class ChangeListener : BackgroundService
{
    /// <summary>The listening connection's application_name, so operators (and tests) can find it in pg_stat_activity.</summary>
    public const string ApplicationName = "gateway-listener";

    // A quiet connection is probed this often, so a connection lost without an error (a dropped network) is noticed.
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);
    private const int ConnectTimeoutSeconds = 5;
    private const int ProbeTimeoutSeconds = 5;
    private const int CatchUpPage = 500;

    // Other nodes' notices, for the follow-up work (the feed, sessions) that runs beside the listening loop, so that a
    // notice arriving while earlier ones are being followed up still drops the cache the moment it is read.
    private readonly Database _database;
    private readonly DbWriter _writer;
    private readonly CommitFeed _feed;
    private readonly SessionManager _sessions;
    private readonly TimeProvider _time;
    private readonly ILogger<ChangeListener> _logger;

    public ChangeListener(Database database, DbWriter writer, CommitFeed feed, SessionManager sessions, TimeProvider time, ILogger<ChangeListener> logger)
    {
        (_database, _writer, _feed, _sessions, _time, _logger) = (database, writer, feed, sessions, time, logger);
        // Until this node hears the other nodes' commits, what it caches could be stale: the cache is bypassed from the
        // moment the host creates its hosted services (before it serves any call) until the first LISTEN. A writer used
        // without a listener (the admin command line, storage tests) keeps its cache, as on SQLite.
        if (_database.Provider == DatabaseProvider.Postgres)
            _writer.CacheBypassed = true;
    }

    private readonly Channel<ChangeNotice> _received = Channel.CreateUnbounded<ChangeNotice>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>How many notices of other nodes this node has acted on (for tests and diagnostics).</summary>
    public long Heard => Interlocked.Read(ref _heard);

    private long _heard;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_database.Provider != DatabaseProvider.Postgres)
            return;
        var followUp = FollowUpAsync(stoppingToken);
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            _received.Writer.TryComplete();
            await followUp.ConfigureAwait(false);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        DateTimeOffset? lostAt = null;
        var everConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await ConnectAsync(stoppingToken).ConfigureAwait(false);
                // Whatever was committed while nobody listened is caught up now that every later commit will be heard.
                _writer.Invalidate();
                _writer.CacheBypassed = false;
                var rows = await CatchUpAsync(stoppingToken).ConfigureAwait(false);
                await CheckSessionsAsync(null, stoppingToken).ConfigureAwait(false);
                if (lostAt is { } since)
                {
                    var seconds = (_time.GetUtcNow() - since).TotalSeconds;
                    LogBack(_logger, seconds, rows);
                }
                else if (!everConnected)
                    LogListening(_logger, ChangeNotice.Channel, _writer.NodeId);
                everConnected = true;
                lostAt = null;
                delay = FirstRetry;
                await ListenAsync(connection, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure of the listening connection is a lost connection: logged, bypassed, retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _writer.CacheBypassed = true;
                _writer.Invalidate();
                if (lostAt is null)
                {
                    lostAt = _time.GetUtcNow();
                    LogLost(_logger, e.Message, e);
                }
                else
                {
                    LogRetryFailed(_logger, e.Message);
                }
            }
            finally
            {
                if (connection is not null)
                    await connection.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(Jittered(delay), _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
        }
    }

    // Not pooled: a connection the server killed must never be handed out again, and LISTEN belongs to this one only.
    private async Task<NpgsqlConnection> ConnectAsync(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(_database.ConnectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            Timeout = ConnectTimeoutSeconds,
            CommandTimeout = ProbeTimeoutSeconds,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            connection.Notification += (_, e) => OnNotice(e.Payload);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await using var listen = new NpgsqlCommand($"LISTEN {ChangeNotice.Channel}", connection);
            await listen.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Runs until the connection fails (it throws) or the node stops.
    private static async Task ListenAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        while (true)
        {
            if (!await connection.WaitAsync(ProbeEvery, ct).ConfigureAwait(false))
            {
                await using var probe = new NpgsqlCommand("SELECT 1", connection);
                await probe.ExecuteScalarAsync(ct).ConfigureAwait(false);
            }
        }
    }

    // Runs on the listening connection as each notice is read. First the cache: a call starting from now on reads what
    // the other node committed (the values of the users it names, or everything when it could not name them); the
    // rest follows up beside the loop.
    private void OnNotice(string payload)
    {
        var notice = ChangeNotice.Parse(payload);
        if (notice.Node == _writer.NodeId)
            return;
        if (notice.Everything || notice.Unlisted)
            _writer.Invalidate();
        else
            _writer.Invalidate(notice.Users ?? [], notice.Accounts is { Length: > 0 });
        Interlocked.Increment(ref _heard);
        _received.Writer.TryWrite(notice);
    }

    // Follows up the notices heard, all those waiting at once: the other nodes' audit rows go to the feed, and live
    // sessions whose rows may be gone are checked. A failure (the database unreachable, say) is logged and the next
    // notice, or the reconnect, catches up everything anyway.
    private async Task FollowUpAsync(CancellationToken ct)
    {
        var reader = _received.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                var notices = new List<ChangeNotice>();
                while (reader.TryRead(out var notice))
                    notices.Add(notice);
                try
                {
                    await CatchUpAsync(ct).ConfigureAwait(false);
                    if (notices.Any(n => n.SessionsEnded || n.Everything))
                        await CheckSessionsAsync(null, ct).ConfigureAwait(false);
                    else if (notices.SelectMany(n => n.Users ?? []).ToHashSet() is { Count: > 0 } users)
                        await CheckSessionsAsync(users, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed follow-up is logged; the next notice or the reconnect catches up everything.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    LogFollowUpFailed(_logger, e.Message, e);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    // Announces the rows after the feed's last one, page by page; rows this node's writer announces meanwhile are skipped.
    private async Task<int> CatchUpAsync(CancellationToken ct)
    {
        if (!_feed.Listening || !_feed.Tracking)
            return 0;
        var total = 0;
        await using var db = await _database.OpenAsync(ct).ConfigureAwait(false);
        while (true)
        {
            var rows = await AuditLog.AfterAsync(db, _feed.LastAnnounced, CatchUpPage, ct).ConfigureAwait(false);
            _feed.AnnounceInOrder(rows);
            total += rows.Count;
            if (rows.Count < CatchUpPage)
                return total;
        }
    }

    // The live list is taken before the query: every session in it had its row committed before it went live, so a row
    // missing from the answer was deleted (by another node; this node's own ends remove the session from the list first).
    private async Task CheckSessionsAsync(IReadOnlySet<long>? userIds, CancellationToken ct)
    {
        var live = _sessions.LiveOf(userIds);
        if (live.Count == 0)
            return;
        await using var db = await _database.OpenAsync(ct).ConfigureAwait(false);
        var kept = await StoredSessions.ExistingAsync(db, [.. live.Select(s => s.TokenHash)], ct).ConfigureAwait(false);
        foreach (var session in live)
        {
            if (!kept.Contains(Convert.ToHexString(session.TokenHash)))
                _sessions.EndedElsewhere(session);
        }
    }

    private static TimeSpan Jittered(TimeSpan delay) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (0.75 + (System.Security.Cryptography.RandomNumberGenerator.GetInt32(500) / 1000.0))));

    [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "Listening on {Channel} for other nodes' commits (this node is {NodeId})")]
    private static partial void LogListening(ILogger logger, string channel, string nodeId);

    [LoggerMessage(EventId = 911, Level = LogLevel.Warning, Message = "Lost the connection that hears other nodes' commits ({Error}); caches are bypassed and every read goes to the database until it is back")]
    private static partial void LogLost(ILogger logger, string error, Exception exception);

    [LoggerMessage(EventId = 912, Level = LogLevel.Information, Message = "Hearing other nodes' commits again after {Seconds:0.0} s; caches dropped, {Rows} audit rows caught up, live sessions checked")]
    private static partial void LogBack(ILogger logger, double seconds, int rows);

    [LoggerMessage(EventId = 914, Level = LogLevel.Warning, Message = "Could not follow up other nodes' commits ({Error}); the next notice catches up")]
    private static partial void LogFollowUpFailed(ILogger logger, string error, Exception exception);

    [LoggerMessage(EventId = 913, Level = LogLevel.Debug, Message = "Still cannot listen for other nodes' commits: {Error}")]
    private static partial void LogRetryFailed(ILogger logger, string error);
}
