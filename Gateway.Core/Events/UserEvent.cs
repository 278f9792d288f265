using System.Buffers;
using System.Buffers.Text;
using Gateway.Core.Protocol;

namespace Gateway.Core.Events;

/// <summary>
/// One event, built once per audit row however many streams carry it: its name, Sequence, the user it concerns, and the
/// payload's fields after <c>PrevSequence</c> (which each stream fills in itself).
/// </summary>
/// <param name="Name">The frame's <c>n</c>, e.g. <c>UserPermissionsEvent</c>.</param>
/// <param name="Sequence">The audit row's Id.</param>
/// <param name="UserId">The user the change concerns.</param>
/// <param name="Tail">UTF-8 JSON: <c>"UserId":U,"Function":..,"Time":..,...}</c>, the payload after PrevSequence.</param>
public sealed record UserEvent(string Name, long Sequence, int UserId, byte[] Tail)
{
    private static ReadOnlySpan<byte> SequenceKey => "{\"Sequence\":"u8;
    private static ReadOnlySpan<byte> PrevKey => ",\"PrevSequence\":"u8;

    /// <summary>Writes the m=3 frame of this event for a stream whose previous event was <paramref name="previous"/>.</summary>
    public PooledBufferWriter Frame(long previous)
    {
        var payload = new ArrayBufferWriter<byte>(Tail.Length + 64);
        payload.Write(SequenceKey);
        WriteNumber(payload, Sequence);
        payload.Write(PrevKey);
        WriteNumber(payload, previous);
        payload.Write(","u8);
        payload.Write(Tail);
        var frame = new PooledBufferWriter(payload.WrittenCount + Name.Length + 64);
        FrameWriter.Write(frame, MessageType.Event, 0, Name, payload.WrittenSpan);
        return frame;
    }

    private static void WriteNumber(ArrayBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out var written);
        output.Advance(written);
    }
}
