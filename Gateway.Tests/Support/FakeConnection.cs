using System.Collections.Concurrent;
using Gateway.Core.Dispatch;
using Gateway.Core.Sessions;

namespace Gateway.Tests.Support;

/// <summary>A transport with no socket behind it, for unit tests of the dispatcher and the authorizer.</summary>
public sealed class FakeConnection(string id = "fake-1", SignedLogin? oneCallKey = null) : IConnection
{
    public string Id { get; } = id;

    public string RemoteAddress => "127.0.0.1";

    public Session? Session { get; set; }

    public PendingSecondFactor? PendingSecondFactor { get; set; }

    public SignedLogin? OneCallKey { get; } = oneCallKey;

    /// <summary>Every close the gateway asked for, in order.</summary>
    public ConcurrentQueue<(int Code, string Reason)> CloseRequests { get; } = new();

    public void RequestClose(int closeCode, string reason) => CloseRequests.Enqueue((closeCode, reason));
}
