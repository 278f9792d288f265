using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Core.Protocol;

/// <summary>Decodes one client message into a <see cref="Frame"/> (protocol.md sections 2 and 4).</summary>
public static class FrameReader
{
    private static readonly byte[] EmptyPayload = "{}"u8.ToArray();

    // The frame itself may nest as deep as the message allows; the payload's own limit is checked separately
    // so that a deep payload is reported as such rather than as invalid JSON.
    private static readonly JsonReaderOptions FrameOptions = new() { MaxDepth = 1 << 20 };

    /// <summary>Decodes <paramref name="message"/>; the payload is copied, so the message buffer may be reused.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> message, int maxPayloadDepth,
        out Frame frame, [NotNullWhen(false)] out FrameError? error)
    {
        frame = default;
        FrameParts parts;
        try
        {
            if (!Utf8.IsValid(message))
                throw new JsonException("invalid UTF-8");
            parts = ReadParts(message);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escaped lone surrogate that cannot become a .NET string.
            error = new FrameError(0, "", "Frame is not valid JSON");
            return false;
        }

        var problem = parts.Problem ?? CheckType(parts.Type) ?? PayloadValidator.Check(parts.Payload, maxPayloadDepth, "o");
        if (problem is not null)
        {
            error = new FrameError(parts.Sequence ?? 0, parts.Function ?? "", problem);
            return false;
        }

        error = null;
        frame = new Frame((MessageType)parts.Type!.Value, parts.Sequence!.Value, parts.Function!,
            parts.Payload.Length == 0 ? EmptyPayload : parts.Payload);
        return true;
    }

    private static FrameParts ReadParts(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message, FrameOptions);
        var parts = new FrameParts();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            EnsureEnd(ref reader);
            parts.Problem = "Frame must be a JSON object with the keys m, i, n and o";
            return parts;
        }

        string? mProblem = null, iProblem = null, nProblem = null, oProblem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = KeyLetter(ref reader);
            reader.Read();
            switch (key)
            {
                case 'm':
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var m)) parts.Type = m;
                    else mProblem = "m must be a JSON integer: 0 for a request, 2 to subscribe, 4 to unsubscribe";
                    break;
                case 'i':
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var i)) parts.Sequence = i;
                    else iProblem = "i must be a JSON integer that fits in a signed 64-bit number";
                    break;
                case 'n':
                    if (reader.TokenType == JsonTokenType.String) parts.Function = FunctionNames.Read(ref reader);
                    else nProblem = "n must be a JSON string naming the function";
                    break;
                case 'o':
                    oProblem = ReadPayload(ref reader, message, ref parts);
                    break;
            }
            reader.Skip();
        }
        EnsureEnd(ref reader);

        parts.Problem = mProblem ?? (parts.Type is null ? "m is missing: every frame needs m, i and n" : null)
            ?? iProblem ?? (parts.Sequence is null ? "i is missing: every frame needs m, i and n" : null)
            ?? nProblem ?? (parts.Function is null ? "n is missing: every frame needs m, i and n" : null)
            ?? oProblem;
        return parts;
    }

    // A frame key is one letter in either case; an escaped key is the key it spells ("\u006e" is n).
    private static char KeyLetter(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
            return reader.ValueSpan.Length == 1 ? (char)(reader.ValueSpan[0] | 0x20) : '\0';
        Span<char> text = stackalloc char[8];
        return reader.ValueSpan.Length <= text.Length && reader.CopyString(text) == 1 ? (char)(text[0] | 0x20) : '\0';
    }

    private static string? ReadPayload(ref Utf8JsonReader reader, ReadOnlySpan<byte> message, ref FrameParts parts)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                parts.Payload = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!)
                    // "{}", the payload of most reads, is one shared array: a payload is never written to.
                    : reader.ValueSpan.SequenceEqual(EmptyPayload) ? EmptyPayload : reader.ValueSpan.ToArray();
                return null;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                parts.Payload = message[start..(int)reader.BytesConsumed].ToArray();
                return null;
            case JsonTokenType.Null:
                parts.Payload = [];
                return null;
            default:
                return "o must be the payload as a JSON string (or object); numbers and booleans are not payloads";
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        // Reading past the top-level value makes the reader throw on trailing content.
        while (reader.Read())
        {
        }
    }

    private static string? CheckType(int? type) => type switch
    {
        0 or 2 or 4 => null,
        1 or 3 or 5 => $"m={type} is a type the gateway sends; a request uses m=0 (2 to subscribe, 4 to unsubscribe)",
        _ => $"m={type} is not a message type; a request uses m=0 (2 to subscribe, 4 to unsubscribe)",
    };

    private struct FrameParts
    {
        public int? Type;
        public long? Sequence;
        public string? Function;
        public byte[] Payload;
        public string? Problem;

        public FrameParts()
        {
            Payload = [];
        }
    }
}
