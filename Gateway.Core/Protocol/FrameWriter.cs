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

    /// <summary>Writes <c>{"m":..,"i":..,"n":..,"o":"payload"}</c> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, MessageType type, long sequence, string function, ReadOnlySpan<byte> payloadUtf8)
    {
        var writer = t_writer ??= new Utf8JsonWriter(Stream.Null, Options);
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
            writer.Reset(Stream.Null);
        }
    }
}
