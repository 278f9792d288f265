using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;

namespace Gateway.Http;

/// <summary>One HTTP request as the dispatcher sees it: a transport that lives for one call and cannot be closed.</summary>
internal sealed class HttpConnection(string id, string remoteAddress) : IConnection
{
    public string Id { get; } = id;

    public string RemoteAddress { get; } = remoteAddress;

    public Session? Session { get; set; }

    public PendingSecondFactor? PendingSecondFactor { get; set; }

    public void RequestClose(int closeCode, string reason)
    {
        // An HTTP request ends with its response; there is nothing to close.
    }

    /// <summary>Unbinds the session (a login over HTTP binds it here) so the session keeps no finished request.</summary>
    public void Release() => Session?.Detach(this);
}
