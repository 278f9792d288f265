using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Bench;

/// <summary>
/// A WebSocket client on a bare TCP socket: does the HTTP upgrade itself, masks the frames it is given into one
/// buffer that leaves in one send, and hands back every whole frame a receive brought. Answers pings with pongs.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _mask = RandomNumberGenerator.GetBytes(4);
    private byte[] _out = new byte[16 * 1024];
    private int _outCount;
    private byte[] _in = new byte[64 * 1024];
    private int _inStart, _inEnd;

    private RawWebSocket(Socket socket) => _socket = socket;

    /// <summary>Bytes waiting to be sent by <see cref="FlushAsync"/>.</summary>
    public int Pending => _outCount;

    public static async Task<RawWebSocket> ConnectAsync(Uri url, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(url.Host), url.Port), ct);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                          $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, ct);
            var raw = new RawWebSocket(socket);
            await raw.ReadUpgradeAsync(ct);
            return raw;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Adds a masked text frame to the pending send.</summary>
    public void Add(ReadOnlySpan<byte> payload) => AddFrame(0x1, payload);

    /// <summary>Sends everything added since the last flush in one send.</summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        var sent = 0;
        while (sent < _outCount)
            sent += await _socket.SendAsync(_out.AsMemory(sent, _outCount - sent), SocketFlags.None, ct);
        _outCount = 0;
    }

    /// <summary>
    /// One receive (more only when not even one whole frame has arrived yet); every whole text frame it completed is
    /// passed to <paramref name="onText"/>. Pings are answered (queued; the caller's next flush sends the pong).
    /// </summary>
    public async ValueTask ReceiveAsync(Action<ReadOnlyMemory<byte>> onText, CancellationToken ct)
    {
        var frames = 0;
        while (frames == 0)
        {
            if (_inStart > 0 && _inStart == _inEnd)
                _inStart = _inEnd = 0;
            if (_inEnd == _in.Length)
                Compact();
            var read = await _socket.ReceiveAsync(_in.AsMemory(_inEnd), SocketFlags.None, ct);
            if (read == 0)
                throw new IOException("the server closed the connection");
            _inEnd += read;
            while (TryTakeFrame(out var opcode, out var payload))
            {
                frames++;
                switch (opcode)
                {
                    case 0x1: onText(payload); break;
                    case 0x8: throw new IOException($"the server sent a close frame: {Encoding.UTF8.GetString(payload.Span[Math.Min(2, payload.Length)..])}");
                    case 0x9: AddFrame(0xA, payload.Span); break;
                }
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private bool TryTakeFrame(out int opcode, out ReadOnlyMemory<byte> payload)
    {
        opcode = 0;
        payload = default;
        var span = _in.AsSpan(_inStart, _inEnd - _inStart);
        if (span.Length < 2)
            return false;
        if ((span[0] & 0x80) == 0 || (span[1] & 0x80) != 0)
            throw new IOException("fragmented or masked server frames are not expected");
        long length = span[1] & 0x7F;
        var header = 2;
        if (length == 126)
        {
            if (span.Length < 4) return false;
            length = (span[2] << 8) | span[3];
            header = 4;
        }
        else if (length == 127)
        {
            if (span.Length < 10) return false;
            length = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(span[2..]);
            header = 10;
        }
        if (header + length > _in.Length)
            Grow((int)(header + length));
        if (_inEnd - _inStart < header + length)
            return false;
        opcode = _in[_inStart] & 0x0F;
        payload = _in.AsMemory(_inStart + header, (int)length);
        _inStart += header + (int)length;
        return true;
    }

    private void AddFrame(int opcode, ReadOnlySpan<byte> payload)
    {
        var need = _outCount + payload.Length + 14;
        if (need > _out.Length)
            Array.Resize(ref _out, Math.Max(need, _out.Length * 2));
        var o = _out.AsSpan(_outCount);
        o[0] = (byte)(0x80 | opcode);
        var at = 2;
        if (payload.Length < 126)
            o[1] = (byte)(0x80 | payload.Length);
        else if (payload.Length <= ushort.MaxValue)
        {
            o[1] = 0x80 | 126;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(o[2..], (ushort)payload.Length);
            at = 4;
        }
        else
        {
            o[1] = 0x80 | 127;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(o[2..], (ulong)payload.Length);
            at = 10;
        }
        _mask.CopyTo(o[at..]);
        at += 4;
        for (var i = 0; i < payload.Length; i++)
            o[at + i] = (byte)(payload[i] ^ _mask[i & 3]);
        _outCount += at + payload.Length;
    }

    private void Compact()
    {
        _in.AsSpan(_inStart, _inEnd - _inStart).CopyTo(_in);
        _inEnd -= _inStart;
        _inStart = 0;
    }

    private void Grow(int frame)
    {
        Compact();
        if (frame > _in.Length)
            Array.Resize(ref _in, frame);
    }

    private async Task ReadUpgradeAsync(CancellationToken ct)
    {
        while (true)
        {
            var read = await _socket.ReceiveAsync(_in.AsMemory(_inEnd), SocketFlags.None, ct);
            if (read == 0)
                throw new IOException("the server closed the connection during the upgrade");
            _inEnd += read;
            var end = _in.AsSpan(0, _inEnd).IndexOf("\r\n\r\n"u8);
            if (end < 0)
                continue;
            var head = Encoding.ASCII.GetString(_in, 0, end);
            if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                throw new IOException($"the upgrade was refused: {head.Split('\r')[0]}");
            _inStart = end + 4;
            return;
        }
    }
}
