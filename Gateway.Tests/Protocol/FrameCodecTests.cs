using System.Text;
using Gateway.Core.Protocol;

namespace Gateway.Tests.Protocol;

[TestFixture]
public sealed class FrameCodecTests
{
    [Test]
    public void Write_PayloadWithQuotesBackslashesAndNonAscii_EscapesOnlyWhatJsonNeeds()
    {
        using var output = new PooledBufferWriter();
        FrameWriter.Write(output, MessageType.Reply, 9, "Echo", "{\"Name\":\"Zoë \\\\ <b>&'\"}"u8);
        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan),
            Is.EqualTo("{\"m\":1,\"i\":9,\"n\":\"Echo\",\"o\":\"{\\\"Name\\\":\\\"Zoë \\\\\\\\ <b>&'\\\"}\"}"));
    }

    [Test]
    public void Write_OnAWarmThread_AllocatesNothing()
    {
        using var output = new PooledBufferWriter(1024);
        FrameWriter.Write(output, MessageType.Reply, 1, "GetUserAccounts", "[1,2]"u8);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
            FrameWriter.Write(output, MessageType.Reply, i, "GetUserAccounts", "[1,2]"u8);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, "bytes allocated by ten frames written into a buffer with room");
    }

    [Test]
    public void Decode_PayloadAsString_UnwrapsItExactly()
    {
        var ok = FrameReader.TryDecode("{\"m\":0,\"i\":3,\"n\":\"X\",\"o\":\"{\\\"A\\\":\\\"\\u00e9\\\"}\"}"u8, 32, out var frame, out _);
        Assert.That(ok, Is.True);
        Assert.That(Encoding.UTF8.GetString(frame!.Payload.Span), Is.EqualTo("{\"A\":\"é\"}"));
    }

    [Test]
    public void Decode_PayloadAsObject_KeepsItsText()
    {
        var ok = FrameReader.TryDecode("{\"o\":{\"A\": [1, 2]},\"n\":\"X\",\"i\":3,\"m\":0}"u8, 32, out var frame, out _);
        Assert.That(ok, Is.True);
        Assert.That(Encoding.UTF8.GetString(frame!.Payload.Span), Is.EqualTo("{\"A\": [1, 2]}"));
        Assert.That(frame.Sequence, Is.EqualTo(3));
    }

    [Test]
    public void Decode_InvalidUtf8_IsNotValidJson()
    {
        var ok = FrameReader.TryDecode([.. "{\"m\":0,\"i\":3,\"n\":\""u8, 0xC3, 0x28, .. "\"}"u8], 32, out _, out var error);
        Assert.That(ok, Is.False);
        Assert.That(error, Is.EqualTo(new FrameError(0, "", "Frame is not valid JSON")));
    }

    [Test]
    public void Decode_EscapedLoneSurrogateInName_IsNotValidJson()
    {
        var ok = FrameReader.TryDecode("{\"m\":0,\"i\":3,\"n\":\"\\ud800\"}"u8, 32, out _, out var error);
        Assert.That(ok, Is.False);
        Assert.That(error!.Detail, Is.EqualTo("Frame is not valid JSON"));
    }

    [Test]
    public void Decode_KeysWrittenWithJsonEscapes_AreTheKeysTheySpell()
    {
        var ok = FrameReader.TryDecode("{\"\\u006e\":\"Ping\",\"\\u006D\":2,\"\\u0069\":7,\"\\u006f\":\"[]\"}"u8, 32, out var frame, out var error);

        Assert.That(ok, Is.True, error?.Detail);
        Assert.That((frame!.Type, frame.Sequence, frame.Function), Is.EqualTo((MessageType.Subscribe, 7L, "Ping")));
        Assert.That(Encoding.UTF8.GetString(frame.Payload.Span), Is.EqualTo("[]"));
    }

    [Test]
    public void Decode_EscapedKeyOfTwoLetters_IsIgnoredLikeAnyOtherUnknownKey()
    {
        var ok = FrameReader.TryDecode("{\"m\":0,\"i\":3,\"\\u006e\\u006e\":\"Ping\"}"u8, 32, out _, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error, Is.EqualTo(new FrameError(3, "", "n is missing: every frame needs m, i and n")));
    }
}
