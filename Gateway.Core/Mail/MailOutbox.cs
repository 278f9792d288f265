using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Gateway.Core.Mail;

/// <summary>
/// Mail leaves after the reply: a call queues its message (once its writes have committed) and this service sends it,
/// so neither the reply nor its timing waits for a mail server. The queue is bounded; a full queue drops the message
/// and says so. The messages are held in memory only, since a reset mail carries a code that must not be stored.
/// </summary>
public sealed class MailOutbox : BackgroundService
{
    /// <summary>Messages waiting at most.</summary>
    public const int Capacity = 1000;

    private readonly Channel<(MimeMessage Message, string Kind)> _queue =
        Channel.CreateBounded<(MimeMessage, string)>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly IMailTransport? _transport;
    private readonly MailOptions _options;
    private readonly ILogger<MailOutbox> _logger;

    /// <summary>Picks the transport the settings name: SMTP, a pickup directory, or none.</summary>
    public MailOutbox(IOptions<GatewayOptions> options, ILogger<MailOutbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Mail;
        _logger = logger;
        _transport = _options.Host.Length > 0 ? new SmtpMailTransport(_options)
            : _options.PickupDirectory.Length > 0 ? new PickupDirectoryTransport(_options.PickupDirectory)
            : null;
    }

    /// <summary>True when mail goes somewhere.</summary>
    public bool Enabled => _transport is not null;

    /// <summary>The sender address of every message.</summary>
    public string From => _options.From;

    /// <summary>Queues a message; <paramref name="kind"/> names it in log lines (never its content).</summary>
    public void Enqueue(MimeMessage message, string kind)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_transport is null)
            return;
        if (!_queue.Writer.TryWrite((message, kind)))
            MailLog.Dropped(_logger, Capacity, kind);
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
        try
        {
            await foreach (var (message, kind) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await _transport.SendAsync(message, stoppingToken).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A mail server's failure of any kind loses that message, never the sender.
                catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
                {
                    MailLog.SendFailed(_logger, kind, e.GetType().Name + ": " + e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: messages still queued are not sent.
        }
    }
}
