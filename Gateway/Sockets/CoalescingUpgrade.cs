using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Sockets;

/// <summary>
/// Puts a <see cref="CoalescingStream"/> under the WebSocket of a socket request: it stands in for the server's
/// upgrade feature before the WebSocket middleware takes it, and keeps the stream it made for the socket loop.
/// </summary>
internal sealed class CoalescingUpgrade(IHttpUpgradeFeature inner, int flushAtBytes) : IHttpUpgradeFeature
{
    /// <summary>Replies buffered past this many bytes are written even while held.</summary>
    public const int FlushAtBytes = 32 * 1024;

    /// <summary>The stream of the upgraded connection, once upgraded.</summary>
    public CoalescingStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new CoalescingStream(await inner.UpgradeAsync().ConfigureAwait(false), flushAtBytes);
        return Stream;
    }

    /// <summary>Middleware for the socket path, placed before <c>UseWebSockets</c>.</summary>
    public static Task InstallAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            var coalescing = new CoalescingUpgrade(upgrade, FlushAtBytes);
            context.Features.Set<IHttpUpgradeFeature>(coalescing);
            context.Features.Set(coalescing);
        }
        return next(context);
    }
}
