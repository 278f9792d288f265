using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Core.Protocol;

/// <summary>Encodes frames the gateway sends: <c>o</c> is always a JSON string holding the payload (double encoded).</summary>
public static class FrameWriter
{
    private static readonly JsonEncodedText M = JsonEncodedText.Encode("m");
    private static readonly JsonEncodedText I = JsonEncodedText.Encode("i");
    private static readonly JsonEncodedText N = JsonEncodedText.Encode("n");
    private static readonly JsonEncodedText O = JsonEncodedText.Encode("o");

    private static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // Where the thread's writer points between frames, so it keeps no caller's buffer alive. Resetting it to a stream
    // instead would make the writer allocate a buffer for that stream on every frame.
    private sealed class Detached : IBufferWriter<byte>
    {
        public static readonly Detached Output = new();

        public void Advance(int count) => throw Unused();

        public Memory<byte> GetMemory(int sizeHint = 0) => throw Unused();

        public Span<byte> GetSpan(int sizeHint = 0) => throw Unused();

        private static InvalidOperationException Unused() => new("FrameWriter's writer writes only inside Write");
    }

    /// <summary>Writes <c>{"m":..,"i":..,"n":..,"o":"payload"}</c> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, MessageType type, long sequence, string function, ReadOnlySpan<byte> payloadUtf8)
    {
        var writer = t_writer ??= new Utf8JsonWriter(Detached.Output, Options);
        writer.Reset(output);
        try
        {
            writer.WriteStartObject();
            writer.WriteNumber(M, (int)type);
            writer.WriteNumber(I, sequence);
            writer.WriteString(N, function);
            writer.WriteString(O, payloadUtf8);
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            writer.Reset(Detached.Output);
        }
    }
}
