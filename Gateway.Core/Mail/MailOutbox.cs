using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.Core.Mail;

/// <summary>
/// Mail leaves after the reply: a call queues how to write its message (once its writes have committed), and this
/// service writes and sends what is queued every <see cref="Interval"/>. Queueing wakes no thread, so a ResetPassword
/// that mails takes as long as one that does not, and neither waits for a mail server. The queue is bounded; a full
/// queue drops the message and says so. Messages are held in memory only, since a reset mail carries a code that must
/// not be stored.
/// </summary>
public sealed class MailOutbox : BackgroundService
{
    /// <summary>Messages waiting at most.</summary>
    public const int Capacity = 1000;

    /// <summary>How often the queue is emptied.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly IMailTransport? _transport;
    private readonly MailOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MailOutbox> _logger;
    private int _count;

    /// <summary>Picks the transport the settings name: SMTP, a pickup directory, or none.</summary>
    public MailOutbox(IOptions<GatewayOptions> options, TimeProvider time, ILogger<MailOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Mail;
        _time = time;
        _logger = logger;
        _transport = _options.Host.Length > 0 ? new SmtpMailTransport(_options)
            : _options.PickupDirectory.Length > 0 ? new PickupDirectoryTransport(_options.PickupDirectory)
            : null;
    }

    /// <summary>True when mail goes somewhere.</summary>
    public bool Enabled => _transport is not null;

    /// <summary>The sender address of every message.</summary>
    public string From => _options.From;

    /// <summary>Queues a message, written by <paramref name="compose"/> (null: none after all) when its turn comes; <paramref name="kind"/> names it in log lines (never its content).</summary>
    public void Enqueue(Func<MimeMessage?> compose, string kind)
    {
        ArgumentNullException.ThrowIfNull(compose);
        if (_transport is null)
            return;
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            MailLog.Dropped(_logger, Capacity, kind);
            return;
        }
        _queue.Enqueue(new Pending(compose, kind));
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (_transport is null)
            MailLog.NotConfigured(_logger);
        else
            MailLog.Configured(_logger, _transport.Destination);
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_transport is null)
            return;
        using var timer = new PeriodicTimer(Interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                while (_queue.TryDequeue(out var pending))
                {
                    Interlocked.Decrement(ref _count);
                    await SendAsync(_transport, pending, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: messages still queued are not sent.
        }
    }

    private async Task SendAsync(IMailTransport transport, Pending pending, CancellationToken ct)
    {
        try
        {
            if (pending.Compose() is { } message)
                await transport.SendAsync(message, ct).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A mail server's failure of any kind loses that message, never the sender.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            MailLog.SendFailed(_logger, pending.Kind, e.GetType().Name + ": " + e.Message);
        }
    }

    private sealed record Pending(Func<MimeMessage?> Compose, string Kind);
}
