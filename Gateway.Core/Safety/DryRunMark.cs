using System.Text.Json;

namespace Gateway.Core.Safety;

/// <summary>Adds <c>"DryRun":true</c> as the last key of a reply object (protocol.md 9.2).</summary>
public static class DryRunMark
{
    private static readonly byte[] Key = "\"DryRun\":true"u8.ToArray();

    /// <summary>
    /// <paramref name="reply"/> with <c>"DryRun":true</c> added, when it is an object that does not carry the key yet;
    /// any other reply (an array, say) is returned as it is.
    /// </summary>
    public static byte[] Add(byte[] reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!IsObjectWithout(reply, out var empty))
            return reply;
        var end = Array.LastIndexOf(reply, (byte)'}');
        var marked = new byte[end + (empty ? 0 : 1) + Key.Length + (reply.Length - end)];
        reply.AsSpan(0, end).CopyTo(marked);
        var at = end;
        if (!empty)
            marked[at++] = (byte)',';
        Key.CopyTo(marked, at);
        reply.AsSpan(end).CopyTo(marked.AsSpan(at + Key.Length));
        return marked;
    }

    /// <summary>True when <paramref name="reply"/> is a JSON object; <paramref name="empty"/> when it has no keys.</summary>
    private static bool IsObjectWithout(byte[] reply, out bool empty)
    {
        empty = true;
        try
        {
            var reader = new Utf8JsonReader(reply);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                empty = false;
                if (string.Equals(reader.GetString(), "DryRun", StringComparison.OrdinalIgnoreCase))
                    return false;
                reader.Read();
                reader.Skip();
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
