using System.Text.Json;

namespace Gateway.Bench;

/// <summary>The i of a reply and whether it failed (m=5, or result:false in o), read without allocating.</summary>
internal static class ReplyScan
{
    public static (long Sequence, bool Failed) Read(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        long sequence = 0;
        var failed = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
                continue;
            if (reader.ValueTextEquals("i"u8) && reader.Read())
                sequence = reader.GetInt64();
            else if (reader.ValueTextEquals("m"u8) && reader.Read())
                failed |= reader.GetInt32() == 5;
            else if (reader.ValueTextEquals("o"u8) && reader.Read())
                failed |= reader.ValueSpan.IndexOf("result\\\":false"u8) >= 0;
            else
                reader.Skip();
        }
        return (sequence, failed);
    }
}
