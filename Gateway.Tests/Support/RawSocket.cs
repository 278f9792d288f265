using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// A bare ClientWebSocket for clients that misbehave: it answers pings only while a test reads, sends no keep-alive
/// of its own, and can shrink its TCP receive buffer so a client that never reads pushes back at once.
/// </summary>
public sealed class RawSocket : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private RawSocket(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    /// <summary>Connects; <paramref name="origin"/> sets the Origin header; <paramref name="receiveBuffer"/> the TCP receive buffer.</summary>
    public static async Task<RawSocket> ConnectAsync(Uri uri, string? origin = null, int? receiveBuffer = null)
    {
        var socket = Create(origin);
        using var cts = new CancellationTokenSource(Deadline);
        if (receiveBuffer is not { } bytes)
        {
            await socket.ConnectAsync(uri, cts.Token);
            return new RawSocket(socket);
        }
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = bytes, NoDelay = true };
                await tcp.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await socket.ConnectAsync(uri, invoker, cts.Token);
        return new RawSocket(socket);
    }

    /// <summary>Tries to connect and returns the HTTP status the server answered the upgrade with.</summary>
    public static async Task<HttpStatusCode> UpgradeStatusAsync(Uri uri, string? origin = null)
    {
        using var socket = Create(origin);
        using var cts = new CancellationTokenSource(Deadline);
        try
        {
            await socket.ConnectAsync(uri, cts.Token);
        }
        catch (WebSocketException)
        {
            // The status is kept on the socket either way.
        }
        return socket.HttpStatusCode;
    }

    public Task SendAsync(string text, CancellationToken ct = default) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>Reads one whole text message.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Deadline);
        var buffer = new byte[64 * 1024];
        var count = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), cts.Token);
            count += result.Count;
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(buffer, 0, count);
    }

    public void Dispose() => Socket.Dispose();

    private static ClientWebSocket Create(string? origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (origin is not null)
            socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }
}
