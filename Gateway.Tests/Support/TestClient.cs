using System.Text.Json;
using System.Threading.Channels;
using Gateway.Client;

namespace Gateway.Tests.Support;

/// <summary>
/// The sample <see cref="GatewayClient"/> as tests drive it: its correlation by <c>i</c>, without reconnecting, with
/// every reply as a <see cref="ReplyFrame"/>, the messages it matched to no call kept for the test to read, and a
/// deadline on every wait.
/// </summary>
public sealed class TestClient : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly GatewayClient _client;
    private readonly Channel<string> _unmatched = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource<GatewayDisconnection> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestClient(GatewayClient client)
    {
        _client = client;
        _client.Unmatched += (_, message) => _unmatched.Writer.TryWrite(message.Text ?? $"(binary, {message.Binary?.Length ?? 0} bytes)");
        _client.Disconnected += (_, info) => _closed.TrySetResult(info);
    }

    /// <summary>Every message received so far, matched or not.</summary>
    public int ReceivedCount => (int)_client.MessagesReceived;

    /// <summary>Completes when the server closes the socket or the connection is lost.</summary>
    public Task<GatewayDisconnection> Closed => _closed.Task;

    public static async Task<TestClient> ConnectAsync(Uri uri)
    {
        // Each wait below has its own deadline; the client's own would only race them.
        var client = new TestClient(GatewayClient.Create(uri, new GatewayClientOptions { CallTimeout = Timeout.InfiniteTimeSpan, ReconnectDelay = null }));
        try
        {
            using var deadline = new CancellationTokenSource(DefaultTimeout);
            await client._client.StartAsync(deadline.Token);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        return client;
    }

    /// <summary>Sends a request frame with the client's next sequence number (2, 4, 6...) and waits for its reply.</summary>
    public Task<ReplyFrame> CallAsync(string function, string payload = "{}", int m = 0, TimeSpan? timeout = null) =>
        WithDeadlineAsync(function, timeout, ct => _client.SendFrameAsync(m, function, payload, ct));

    /// <summary>Sends a request frame with a chosen <c>i</c> and waits for the reply carrying it.</summary>
    public Task<ReplyFrame> CallWithSequenceAsync(long sequence, string function, string payload = "{}", int m = 0, TimeSpan? timeout = null) =>
        WithDeadlineAsync(function, timeout, ct => _client.SendFrameAsync(m, sequence, function, payload, ct));

    /// <summary>Registers interest in the reply carrying <paramref name="sequence"/> before sending it yourself; fails if the socket closes first.</summary>
    public Task<ReplyFrame> Expect(long sequence) => AsFrameAsync(_client.ExpectReply(sequence));

    /// <summary>Queues a raw text message as it is.</summary>
    public void Send(string text) => _client.SendRaw(text);

    /// <summary>Queues a raw binary message.</summary>
    public void Send(byte[] bytes) => _client.SendRaw(bytes);

    /// <summary>The next message no pending call claimed.</summary>
    public async Task<string> NextUnmatchedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        return await _unmatched.Reader.ReadAsync(cts.Token);
    }

    /// <summary>A message no call claimed that has already arrived, without waiting; false when there is none.</summary>
    public bool TryTakeUnmatched(out string? text) => _unmatched.Reader.TryRead(out text);

    /// <summary>The next unclaimed message, parsed as a frame.</summary>
    public async Task<ReplyFrame> NextFrameAsync(TimeSpan? timeout = null)
    {
        var text = await NextUnmatchedAsync(timeout);
        return ReplyFrame.TryParse(text) ?? throw new AssertionException($"the gateway sent something that is not a frame: {text}");
    }

    /// <summary>Builds <c>{"m":..,"i":..,"n":..,"o":"payload"}</c> with <c>o</c> double encoded, as real clients send it.</summary>
    public static string Frame(int m, long i, string n, string payload) =>
        $"{{\"m\":{m},\"i\":{i},\"n\":{JsonSerializer.Serialize(n)},\"o\":{JsonSerializer.Serialize(payload)}}}";

    /// <summary>Closes the socket with a normal closure.</summary>
    public Task CloseAsync() => _client.DisposeAsync().AsTask();

    public void Dispose() => _client.Dispose();

    private static async Task<ReplyFrame> WithDeadlineAsync(string function, TimeSpan? timeout, Func<CancellationToken, Task<GatewayReply>> send)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            return AsFrame(await send(deadline.Token));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{function} had no reply within {limit.TotalSeconds:0.#} s");
        }
    }

    private static async Task<ReplyFrame> AsFrameAsync(Task<GatewayReply> reply) => AsFrame(await reply);

    private static ReplyFrame AsFrame(GatewayReply reply) => new(reply.M, reply.I, reply.N, reply.O, reply.Frame);
}
