using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Gateway.Bench;

/// <summary>Request frames built from cached bytes: only the sequence number is written per frame.</summary>
internal sealed class FrameCache
{
    private static readonly byte[] Head = "{\"m\":0,\"i\":"u8.ToArray();
    private readonly Dictionary<(string, string), byte[]> _tails = [];
    private byte[] _frame = new byte[1024];

    /// <summary>The frame; valid until the next call.</summary>
    public ReadOnlySpan<byte> Frame(long sequence, string function, string payload)
    {
        if (!_tails.TryGetValue((function, payload), out var tail))
        {
            if (_tails.Count > 4096)
                _tails.Clear();
            tail = Encoding.UTF8.GetBytes($",\"n\":\"{function}\",\"o\":{JsonSerializer.Serialize(payload)}}}");
            _tails[(function, payload)] = tail;
        }
        if (_frame.Length < Head.Length + 20 + tail.Length)
            _frame = new byte[Head.Length + 20 + tail.Length];
        Head.CopyTo(_frame, 0);
        Utf8Formatter.TryFormat(sequence, _frame.AsSpan(Head.Length), out var digits);
        tail.CopyTo(_frame, Head.Length + digits);
        return _frame.AsSpan(0, Head.Length + digits + tail.Length);
    }
}
