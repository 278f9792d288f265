using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>A raw ClientWebSocket with frame helpers; used one call at a time for setup and by the load loop for the run.</summary>
internal sealed class BenchSocket(ClientWebSocket socket) : IDisposable
{
    private readonly byte[] _buffer = new byte[128 * 1024];
    private long _sequence;

    public static async Task<BenchSocket> ConnectAsync(Uri url, CancellationToken ct, int? receiveBuffer = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        if (receiveBuffer is not { } bytes)
        {
            await socket.ConnectAsync(url, ct);
            return new BenchSocket(socket);
        }
        // A small TCP receive buffer, so a socket that stops reading fills the gateway's queue soon.
        using var handler = new System.Net.Http.SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var tcp = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { ReceiveBufferSize = bytes, NoDelay = true };
                await tcp.ConnectAsync(context.DnsEndPoint, token);
                return new System.Net.Sockets.NetworkStream(tcp, ownsSocket: true);
            },
        };
        using var invoker = new System.Net.Http.HttpMessageInvoker(handler, disposeHandler: false);
        await socket.ConnectAsync(url, invoker, ct);
        return new BenchSocket(socket);
    }

    public static byte[] Frame(long sequence, string function, string payload) =>
        Encoding.UTF8.GetBytes($"{{\"m\":0,\"i\":{sequence},\"n\":\"{function}\",\"o\":{JsonSerializer.Serialize(payload)}}}");

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken ct) => socket.SendAsync(frame, WebSocketMessageType.Text, true, ct);

    /// <summary>The next whole message.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken ct)
    {
        var count = 0;
        ValueWebSocketReceiveResult received;
        do
        {
            received = await socket.ReceiveAsync(_buffer.AsMemory(count), ct);
            count += received.Count;
        }
        while (!received.EndOfMessage);
        return received.MessageType == WebSocketMessageType.Close
            ? throw new WebSocketException($"the server closed the socket: {socket.CloseStatus} {socket.CloseStatusDescription}")
            : _buffer.AsMemory(0, count);
    }

    /// <summary>One call, waited for: returns the reply's payload text (o).</summary>
    public async Task<string> CallAsync(string function, string payload, CancellationToken ct)
    {
        var sequence = _sequence += 2;
        await SendAsync(Frame(sequence, function, payload), ct);
        while (true)
        {
            var reply = Reply.Read((await ReceiveAsync(ct)).Span);
            if (reply.Sequence == sequence)
                return reply.Payload;
        }
    }

    public Task CloseAsync(CancellationToken ct) => socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", ct);

    public void Dispose() => socket.Dispose();
}

/// <summary>The i of a reply, whether it failed, and (when asked) its payload.</summary>
internal readonly record struct Reply(long Sequence, bool Failed, string Payload)
{
    public static Reply Read(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        long sequence = 0;
        int m = 0;
        string payload = "";
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            if (reader.ValueTextEquals("i"u8) && reader.Read())
                sequence = reader.GetInt64();
            else if (reader.ValueTextEquals("m"u8) && reader.Read())
                m = reader.GetInt32();
            else if (reader.ValueTextEquals("o"u8) && reader.Read())
                payload = reader.GetString() ?? "";
            else
                reader.Skip();
        }
        var failed = m == 5 || payload.Contains("\"result\":false", StringComparison.Ordinal);
        return new Reply(sequence, failed, payload);
    }
}
