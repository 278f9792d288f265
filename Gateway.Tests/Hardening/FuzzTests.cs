using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Fuzzing: 10,000 malformed frames on one socket while 10 well-behaved sockets run calls. Every bad
/// frame gets exactly one errorcode-100 (or 106) reply, nothing answers 102 or logs an error, the fuzzing socket stays
/// open, and every well-behaved call is answered correctly.
/// </summary>
[TestFixture]
public sealed class FuzzTests : HostFixture
{
    private const int FrameCount = 10_000;
    private const int Window = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // The fuzzer sends faster than a production socket may; the rate limit has its own tests.
    protected override string[] Settings => ["--Gateway:Limits:RequestsPerSecond=1000000", "--Gateway:Limits:RequestBurst=1000000"];

    [Test]
    [CancelAfter(90_000)]
    public async Task Fuzz_TenThousandMalformedFramesBesideTenWellBehavedSockets_EachAnsweredOnceAndNothingBreaks()
    {
        var seed = TestSeed.Next("fuzz");
        using var admin = await Host.ConnectAdminAsync();
        var logStart = LogCapture.Lines.Count;
        using var stop = new CancellationTokenSource();
        var wellBehaved = await StartWellBehavedAsync(admin, stop.Token);
        var clock = Stopwatch.StartNew();

        var result = await FuzzAsync(seed);
        await stop.CancelAsync();
        var callsServed = (await Task.WhenAll(wellBehaved)).Sum();
        TestContext.Out.WriteLine($"{FrameCount} malformed frames answered in {clock.Elapsed.TotalSeconds:0.0} s; {callsServed} well-behaved calls served beside them");

        Assert.That(result.Problems, Is.Empty, $"seed {seed}: " + string.Join("\n", result.Problems.Take(20)));
        Assert.That(result.SocketState, Is.EqualTo(WebSocketState.Open), $"seed {seed}: the fuzzing socket was closed");
        Assert.That(callsServed, Is.GreaterThan(10), "the well-behaved sockets made hardly any calls");
        Assert.That(LogCapture.Lines.Skip(logStart).Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)),
            Is.Empty, $"seed {seed}: the gateway logged a fault");
        var health = await Host.GetAsync("/health");
        Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK), health.ToString());
    }

    // RFC 6455 8.1: a text message that is not UTF-8 fails the connection with 1007. .NET's WebSocket layer does this
    // before the gateway sees the message: it sends the 1007 close frame and aborts the connection at once, so a client
    // reads the 1007 or, when the abort overtakes the frame, a reset. Either way only that socket ends.
    [TestCase(new byte[] { 0xff })]
    [TestCase(new byte[] { 0x7b, 0x22, 0x6d, 0x22, 0x3a, 0x30, 0xc3, 0x28, 0x7d })]
    [TestCase(new byte[] { 0xed, 0xa0, 0x80 })]
    [TestCase(new byte[] { 0xf8, 0x88, 0x80, 0x80, 0x80 })]
    [CancelAfter(30_000)]
    public async Task Fuzz_InvalidUtf8InTextMessage_FailsOnlyThatSocketWith1007(byte[] bytes)
    {
        using var bystander = await Host.ConnectAsync();
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(TestClient.DefaultTimeout);
        await socket.ConnectAsync(Host.WsUri, deadline.Token);

        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        var buffer = new byte[4096];
        try
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), deadline.Token);
            Assert.That(received.MessageType, Is.EqualTo(WebSocketMessageType.Close), Encoding.UTF8.GetString(buffer, 0, received.Count));
            Assert.That(socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.InvalidPayloadData));
        }
        catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            Assert.That(socket.State, Is.EqualTo(WebSocketState.Aborted));
        }

        Assert.That((await bystander.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    private sealed record FuzzResult(List<string> Problems, WebSocketState SocketState);

    private async Task<FuzzResult> FuzzAsync(int seed)
    {
        using var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(Host.WsUri, deadline.Token);
        var generator = new MalformedFrames(seed);
        var expected = new ConcurrentDictionary<long, MalformedFrame>();
        var answered = new ConcurrentDictionary<long, int>();
        var problems = new ConcurrentQueue<string>();
        var withoutI = 0;
        var zeroReplies = 0;
        var sentinel = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var window = new SemaphoreSlim(Window);

        void OnReply(string text)
        {
            var reply = ReplyFrame.TryParse(text);
            if (reply is null)
            {
                problems.Enqueue($"not a frame: {text}");
                return;
            }
            if (reply.I == 1)
            {
                sentinel.TrySetResult(reply.O);
                return;
            }
            window.Release();
            var code = reply.ErrorCode();
            if (reply.I == 0)
            {
                Interlocked.Increment(ref zeroReplies);
                if (code != 100 || reply.M != 5)
                    problems.Enqueue($"i=0 reply is not m=5 errorcode 100: {text}");
            }
            else if (!expected.TryGetValue(reply.I, out var frame))
                problems.Enqueue($"reply for an i that was never sent: {text}");
            else if (answered.AddOrUpdate(reply.I, 1, (_, n) => n + 1) > 1)
                problems.Enqueue($"second reply for {frame}: {text}");
            else if (code != frame.ExpectedCode || reply.Payload.GetProperty("result").GetBoolean())
                problems.Enqueue($"{frame} answered {text}, expected errorcode {frame.ExpectedCode}");
        }

        var receiver = ReceiveAsync(socket, OnReply, deadline.Token);
        for (var n = 0; n < FrameCount; n++)
        {
            var frame = generator.Next();
            if (frame.ExpectedI == 0)
                withoutI++;
            else
                expected[frame.ExpectedI] = frame;
            if (!await window.WaitAsync(TestClient.DefaultTimeout, deadline.Token))
                return new FuzzResult([$"the gateway stopped answering after {n} frames (receiver: {receiver.Status} {receiver.Exception?.GetBaseException().Message})", .. problems], socket.State);
            await socket.SendAsync(frame.Bytes, frame.Type, endOfMessage: true, deadline.Token);
        }
        await Poll.UntilAsync(() => answered.Count + Volatile.Read(ref zeroReplies) >= FrameCount || receiver.IsCompleted, Deadline,
            $"seed {seed}: not every malformed frame was answered ({answered.Count} with i, {zeroReplies} with i=0)");

        // A well-formed Ping after everything: its reply comes after any stray extra reply to the frames before it.
        await socket.SendAsync("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}"u8.ToArray(), WebSocketMessageType.Text, true, deadline.Token);
        var pong = await Task.WhenAny(sentinel.Task, Task.Delay(TestClient.DefaultTimeout, deadline.Token)) == sentinel.Task ? sentinel.Task.Result : "nothing";
        if (pong != "{\"msg\":\"PONG\"}")
            problems.Enqueue($"the sentinel Ping answered {pong}");
        if (Volatile.Read(ref zeroReplies) != withoutI)
            problems.Enqueue($"{withoutI} frames had no readable i but {zeroReplies} replies carried i=0");
        problems.Enqueue(expected.Keys.Where(i => !answered.ContainsKey(i)).Select(i => $"no reply for {expected[i]}").FirstOrDefault() ?? "");
        var state = socket.State;
        if (state == WebSocketState.Open)
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
        return new FuzzResult([.. problems.Where(p => p.Length > 0)], state);
    }

    private static async Task ReceiveAsync(ClientWebSocket socket, Action<string> onMessage, CancellationToken ct)
    {
        var buffer = new byte[128 * 1024];
        while (socket.State == WebSocketState.Open)
        {
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(count), ct);
                count += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
                return;
            onMessage(Encoding.UTF8.GetString(buffer, 0, count));
        }
    }

    // Five users calling Ping and GetUserInfo on themselves, five operator sockets toggling a permission of their own user.
    private async Task<List<Task<int>>> StartWellBehavedAsync(TestClient admin, CancellationToken stop)
    {
        var loops = new List<Task<int>>();
        for (var n = 0; n < 5; n++)
        {
            var (client, userId) = await Host.ConnectNewUserAsync(admin);
            loops.Add(UserLoopAsync(client, userId, stop));
            var operatorSocket = await Host.ConnectAdminAsync();
            loops.Add(OperatorLoopAsync(operatorSocket, await admin.CreateUserAsync(Unique("fuzz-target")), stop));
        }
        return loops;
    }

    private static async Task<int> UserLoopAsync(TestClient client, int userId, CancellationToken stop)
    {
        using var _ = client;
        var calls = 0;
        while (!stop.IsCancellationRequested)
        {
            var pong = await client.CallAsync("Ping");
            Assert.That(pong.O, Is.EqualTo("{\"msg\":\"PONG\"}"));
            var info = await client.CallAsync("GetUserInfo", "{}");
            Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), info.O);
            calls += 2;
        }
        return calls;
    }

    private static async Task<int> OperatorLoopAsync(TestClient client, int targetId, CancellationToken stop)
    {
        using var _ = client;
        var calls = 0;
        var payload = Json(new { UserId = targetId, Permission = "AccountReadOnly" });
        while (!stop.IsCancellationRequested)
        {
            var function = calls % 2 == 0 ? "AddUserPermission" : "RevokeUserPermission";
            var reply = await client.CallAsync(function, payload);
            Assert.That(reply.O, Is.EqualTo(Std.Ok), $"{function} of user {targetId}");
            calls++;
        }
        var held = await client.CallAsync("GetUserPermissions", Json(new { UserId = targetId }));
        Assert.That(held.Payload.EnumerateArray().Any(p => p.GetString() == "AccountReadOnly"), Is.EqualTo(calls % 2 == 1), held.O);
        return calls;
    }
}
