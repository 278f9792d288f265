using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// The "no work" limit: a bare Kestrel WebSocket endpoint that parses each frame and answers it with a fixed
/// standard response carrying the same i and n. Nothing the gateway does beyond that is in it.
/// </summary>
internal static class BaselineServer
{
    private static readonly byte[] Head = "{\"m\":1,\"i\":"u8.ToArray();
    private static readonly byte[] Tail = "\",\"o\":\"{\\\"result\\\":true,\\\"errormsg\\\":null,\\\"errorcode\\\":0,\\\"detail\\\":null}\"}"u8.ToArray();

    public static async Task<int> ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/WSGateway", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await AnswerAsync(socket, context.RequestAborted);
        });
        await app.StartAsync();
        Console.WriteLine($"Now listening on: {app.Urls.First()}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task AnswerAsync(WebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        var reply = new ArrayBufferWriter<byte>(256);
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(count), ct);
                    count += received.Count;
                }
                while (!received.EndOfMessage && count < buffer.Length);
                if (received.MessageType == WebSocketMessageType.Close)
                    break;
                var (sequence, name) = Parse(buffer.AsSpan(0, count));
                reply.ResetWrittenCount();
                reply.Write(Head);
                reply.Write(Encoding.ASCII.GetBytes(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                reply.Write(",\"n\":\""u8);
                reply.Write(Encoding.UTF8.GetBytes(name));
                reply.Write(Tail);
                await socket.SendAsync(reply.WrittenMemory, WebSocketMessageType.Text, true, ct);
            }
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The load generator went away; nothing to answer.
        }
    }

    private static (long Sequence, string Name) Parse(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        long sequence = 0;
        var name = "";
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            if (reader.ValueTextEquals("i"u8) && reader.Read())
                sequence = reader.GetInt64();
            else if (reader.ValueTextEquals("n"u8) && reader.Read())
                name = reader.GetString() ?? "";
            else
                reader.Skip();
        }
        return (sequence, name);
    }
}
