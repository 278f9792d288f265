using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Websocket.Client;

namespace Gateway.Tests.Support;

/// <summary>A Websocket.Client-based client that correlates replies by <c>i</c>; every wait has a deadline.</summary>
public sealed class TestClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly WebsocketClient _socket;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ReplyFrame>> _pending = new();
    private readonly Channel<string> _unmatched = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<DisconnectionInfo> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSequence;
    private int _received;

    private TestClient(WebsocketClient socket)
    {
        _socket = socket;
        _socket.MessageReceived.Subscribe(OnMessage);
        _socket.DisconnectionHappened.Subscribe(info => _closed.TrySetResult(info));
    }

    /// <summary>Every message received so far, matched or not.</summary>
    public int ReceivedCount => Volatile.Read(ref _received);

    /// <summary>Completes when the server closes the socket or the connection is lost.</summary>
    public Task<DisconnectionInfo> Closed => _closed.Task;

    public static async Task<TestClient> ConnectAsync(Uri uri)
    {
        var socket = new WebsocketClient(uri)
        {
            IsReconnectionEnabled = false,
            ReconnectTimeout = null,
            ErrorReconnectTimeout = null,
        };
        var client = new TestClient(socket);
        await socket.StartOrFail().WaitAsync(DefaultTimeout);
        return client;
    }

    /// <summary>Sends a request frame with the next sequence number (2, 4, 6...) and waits for its reply.</summary>
    public Task<ReplyFrame> CallAsync(string function, string payload = "{}", int m = 0, TimeSpan? timeout = null)
    {
        var sequence = Interlocked.Add(ref _lastSequence, 2);
        return CallWithSequenceAsync(sequence, function, payload, m, timeout);
    }

    /// <summary>Sends a request frame with a chosen <c>i</c> and waits for the reply carrying it.</summary>
    public Task<ReplyFrame> CallWithSequenceAsync(long sequence, string function, string payload = "{}", int m = 0, TimeSpan? timeout = null)
    {
        var reply = Expect(sequence);
        Send(Frame(m, sequence, function, payload));
        return reply.WaitAsync(timeout ?? DefaultTimeout);
    }

    /// <summary>Registers interest in the reply carrying <paramref name="sequence"/> before sending it yourself.</summary>
    public Task<ReplyFrame> Expect(long sequence)
    {
        var reply = new TaskCompletionSource<ReplyFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(sequence, reply))
            throw new InvalidOperationException($"a reply with i={sequence} is already awaited");
        return reply.Task;
    }

    /// <summary>Queues a raw text message as it is.</summary>
    public void Send(string text) => _socket.Send(text);

    /// <summary>Queues a raw binary message.</summary>
    public void Send(byte[] bytes) => _socket.Send(bytes);

    /// <summary>The next message no pending call claimed.</summary>
    public async Task<string> NextUnmatchedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _unmatched.Reader.ReadAsync(cts.Token);
    }

    /// <summary>The next unclaimed message, parsed as a frame.</summary>
    public async Task<ReplyFrame> NextFrameAsync(TimeSpan? timeout = null)
    {
        var text = await NextUnmatchedAsync(timeout);
        return ReplyFrame.TryParse(text) ?? throw new AssertionException($"the gateway sent something that is not a frame: {text}");
    }

    /// <summary>Builds <c>{"m":..,"i":..,"n":..,"o":"payload"}</c> with <c>o</c> double encoded, as real clients send it.</summary>
    public static string Frame(int m, long i, string n, string payload) =>
        $"{{\"m\":{m},\"i\":{i},\"n\":{JsonSerializer.Serialize(n)},\"o\":{JsonSerializer.Serialize(payload)}}}";

    public Task CloseAsync() => _socket.Stop(WebSocketCloseStatus.NormalClosure, "bye");

    public void Dispose() => _socket.Dispose();

    private void OnMessage(ResponseMessage message)
    {
        Interlocked.Increment(ref _received);
        var text = message.Text ?? $"(binary, {message.Binary?.Length ?? 0} bytes)";
        var frame = ReplyFrame.TryParse(text);
        if (frame is not null && _pending.TryRemove(frame.I, out var pending))
            pending.TrySetResult(frame);
        else
            _unmatched.Writer.TryWrite(text);
    }
}
