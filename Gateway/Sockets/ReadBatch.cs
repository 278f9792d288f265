namespace Gateway.Sockets;

/// <summary>
/// The read loop's hold on its <see cref="CoalescingStream"/>: held while it handles frames that had already arrived,
/// released before it waits for the client, and at least every <see cref="MaxFrames"/> frames so a client that never
/// lets the loop wait still gets its replies.
/// </summary>
internal sealed class ReadBatch(CoalescingStream? stream)
{
    private const int MaxFrames = 32;
    private bool _held;
    private int _frames;

    /// <summary>A message was read: replies made from here on wait for the batch to end.</summary>
    public void Busy()
    {
        if (stream is null || _held)
            return;
        stream.Hold();
        _held = true;
        _frames = 0;
    }

    /// <summary>The loop is about to wait: what the batch made is sent now.</summary>
    public void Idle()
    {
        if (!_held)
            return;
        _held = false;
        stream!.Release();
    }

    /// <summary>One more frame handled in this batch.</summary>
    public void Handled()
    {
        if (_held && ++_frames >= MaxFrames)
            Idle();
    }
}
