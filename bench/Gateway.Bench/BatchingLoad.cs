using System.Diagnostics;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>
/// Closed-loop load on <see cref="RawWebSocket"/>s: each socket keeps <c>depth</c> requests in flight; every request
/// that falls due while a receive is parsed leaves in one send after it, so the client does one send and one receive
/// per batch instead of one per frame.
/// </summary>
internal static class BatchingLoad
{
    public static async Task<RunResult> RunAsync(string target, IReadOnlyList<Uri> urls, Workload workload, int sockets, int depth, double warmup, double seconds, IReadOnlyList<int> serverPids, CancellationToken ct)
    {
        var connections = new RawWebSocket[sockets];
        try
        {
            for (var s = 0; s < sockets; s++)
            {
                // Sockets are spread over the nodes in contiguous blocks, so each node serves every user of the workload.
                connections[s] = await RawWebSocket.ConnectAsync(urls[s * urls.Count / sockets], ct);
                if (workload.Tokens[s] is { } token)
                    await ResumeAsync(connections[s], s, token, ct);
            }

            var window = CpuWindow.Starting(warmup, seconds);
            var cpu = window.MeasureAsync(serverPids, ct);
            var results = await Task.WhenAll(connections.Select((socket, index) => Task.Run(() => DriveAsync(socket, index, workload, depth, window, ct), ct)));
            var (server, client) = await cpu;
            var latencies = results.SelectMany(r => r.Latencies).ToArray();
            Array.Sort(latencies);
            return new RunResult(target, sockets, depth, seconds, results.Sum(r => r.Completed), results.Sum(r => r.Failed), latencies) { ServerCpuSeconds = server, ClientCpuSeconds = client };
        }
        finally
        {
            foreach (var socket in connections)
                socket?.Dispose();
        }
    }

    /// <summary>Resumes a session on a raw socket, one call waited for.</summary>
    public static async Task ResumeAsync(RawWebSocket socket, int index, string token, CancellationToken ct)
    {
        var frames = new FrameCache();
        socket.Add(frames.Frame(0, "WebAuthenticateUser", JsonSerializer.Serialize(new { SessionToken = token })));
        await socket.FlushAsync(ct);
        var reply = "";
        while (reply.Length == 0)
            await socket.ReceiveAsync(text => reply = Reply.Read(text.Span).Payload, ct);
        if (!reply.Contains("\"Authenticated\":true", StringComparison.Ordinal))
            throw new InvalidOperationException($"socket {index} could not resume its session: {reply}");
    }

    private sealed record SocketResult(long Completed, long Failed, List<long> Latencies);

    private static async Task<SocketResult> DriveAsync(RawWebSocket socket, int index, Workload workload, int depth, CpuWindow window, CancellationToken ct)
    {
        var frames = new FrameCache();
        var inFlight = new Dictionary<long, (long Sent, int Slot)>(depth * 2);
        var perSlot = new long[depth];
        var latencies = new List<long>(1 << 16);
        long sequence = 0, completed = 0, failed = 0, now = 0;

        void Add(int slot)
        {
            var (function, payload) = workload.Next(index, slot, perSlot[slot]++);
            sequence += 2;
            inFlight[sequence] = (Stopwatch.GetTimestamp(), slot);
            socket.Add(frames.Frame(sequence, function, payload));
        }

        void OnReply(ReadOnlyMemory<byte> text)
        {
            var (replySequence, replyFailed) = ReplyScan.Read(text.Span);
            if (!inFlight.Remove(replySequence, out var sent))
                return;
            if (window.Contains(now))
            {
                completed++;
                latencies.Add(now - sent.Sent);
                if (replyFailed)
                    failed++;
            }
            if (now < window.To)
                Add(sent.Slot);
        }

        Action<ReadOnlyMemory<byte>> onReply = text =>
        {
            now = Stopwatch.GetTimestamp();
            OnReply(text);
        };
        for (var slot = 0; slot < depth; slot++)
            Add(slot);
        while (inFlight.Count > 0)
        {
            await socket.FlushAsync(ct);
            await socket.ReceiveAsync(onReply, ct);
        }
        return new SocketResult(completed, failed, latencies);
    }
}
