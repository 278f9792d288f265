using System.Text.Json;

namespace Gateway.Core.Protocol;

/// <summary>Checks that a payload is one JSON value within the limits of protocol.md section 7, for every transport.</summary>
public static class PayloadValidator
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1 << 20 };

    /// <summary>Null when <paramref name="payload"/> is valid (or empty); otherwise what is wrong, naming it <paramref name="what"/>.</summary>
    public static string? Check(ReadOnlySpan<byte> payload, int maxDepth, string what)
    {
        if (payload.IsEmpty)
            return null;
        if (!System.Text.Unicode.Utf8.IsValid(payload))
            return $"{what} is not valid UTF-8 JSON";
        var reader = new Utf8JsonReader(payload, Options);
        var deepest = 0;
        try
        {
            while (reader.Read())
                deepest = Math.Max(deepest, reader.CurrentDepth + (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray ? 1 : 0));
        }
        catch (JsonException)
        {
            return what == "o"
                ? "o is not valid JSON: it must hold the payload object serialized as a string"
                : $"{what} is not valid JSON";
        }
        return deepest > maxDepth ? $"{what} nests {deepest} levels deep; the limit is {maxDepth}" : null;
    }

    /// <summary>
    /// Null when every string value in <paramref name="payload"/>, at any depth, is at most <paramref name="maxLength"/>
    /// characters (Unicode code points) and none holds U+0000; otherwise a detail naming the first key over the limit (and
    /// the limit) or holding U+0000. A config value
    /// (<c>Value</c> of an item of <c>Config</c> or <c>UserConfig</c>, at any depth, so inside a Batch too) may have up
    /// to <paramref name="configValueLength"/> when that is larger. Invalid JSON passes: <see cref="Check"/> and the
    /// binder report that.
    /// </summary>
    public static string? CheckStrings(ReadOnlySpan<byte> payload, int maxLength, int configValueLength = 0)
    {
        // A string of n characters takes at least n bytes: a payload no longer than the limit holds none over it, and
        // one without a long string needs no key path (the path costs a string per key). JSON can carry U+0000 only
        // as the escape \u0000, so a payload without that text holds none.
        var mayBeLong = payload.Length > maxLength && HasLongString(payload, maxLength);
        var mayHoldNul = payload.IndexOf(NulEscape) >= 0;
        if (!mayBeLong && !mayHoldNul)
            return null;
        var reader = new Utf8JsonReader(payload, Options);
        var path = new StringPath();
        try
        {
            while (reader.Read())
            {
                var depth = reader.CurrentDepth;
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    path.Name(depth, reader.GetString()!);
                    continue;
                }
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray or JsonTokenType.Comment)
                    continue;
                path.Element(depth);
                if (reader.TokenType == JsonTokenType.StartArray)
                    path.OpenArray(depth + 1);
                // No stored text may hold U+0000: PostgreSQL refuses it in text, and on SQLite it cuts a name short
                // for every C-string consumer. Refused on both engines alike, before any work.
                else if (mayHoldNul && reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped && HoldsNul(ref reader))
                    return $"{path.Describe(depth)} holds the character U+0000 (NUL), which no text may hold";
                // A string of n bytes holds at most n characters: only a long one needs counting.
                else if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > maxLength
                    && (configValueLength > maxLength && path.IsConfigValue(depth) ? configValueLength : maxLength) is var limit
                    && reader.ValueSpan.Length > limit && Length(ref reader) is var length && length > limit)
                    return $"{path.Describe(depth)} is {length} characters long; the limit is {limit}";
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
        return null;
    }

    private static ReadOnlySpan<byte> NulEscape => "\\u0000"u8;

    private static bool HoldsNul(ref Utf8JsonReader reader) => reader.ValueSpan.IndexOf(NulEscape) >= 0 && reader.GetString()!.Contains('\0', StringComparison.Ordinal);

    private static bool HasLongString(ReadOnlySpan<byte> payload, int maxLength)
    {
        var reader = new Utf8JsonReader(payload, Options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > maxLength)
                    return true;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
        return false;
    }

    private static int Length(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            var count = 0;
            foreach (var b in reader.ValueSpan)
            {
                if ((b & 0xC0) != 0x80)
                    count++;
            }
            return count;
        }
        var text = reader.GetString()!;
        var surrogates = 0;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
                surrogates++;
        }
        return text.Length - surrogates;
    }

    /// <summary>The key path of the value being read, kept per depth: <c>UserInfo.FirstName</c>, <c>Permissions[2]</c>.</summary>
    private sealed class StringPath
    {
        private readonly List<string?> _names = [null];
        private readonly List<int> _indexes = [-1];

        public void Name(int depth, string name)
        {
            Ensure(depth);
            _names[depth] = name;
            _indexes[depth] = -1;
        }

        public void OpenArray(int depth)
        {
            Ensure(depth);
            _names[depth] = null;
            _indexes[depth] = -1;
        }

        public void Element(int depth)
        {
            Ensure(depth);
            if (_names[depth] is null)
                _indexes[depth]++;
        }

        // Config[0].Value, Config.Value, UserConfig[3].Value: the value of a config item.
        public bool IsConfigValue(int depth) =>
            depth >= 2 && string.Equals(_names[depth], "Value", StringComparison.OrdinalIgnoreCase)
            && (IsConfig(_names[depth - 1]) || (_names[depth - 1] is null && depth >= 3 && IsConfig(_names[depth - 2])));

        private static bool IsConfig(string? name) =>
            string.Equals(name, "Config", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "UserConfig", StringComparison.OrdinalIgnoreCase);

        public string Describe(int depth)
        {
            if (depth == 0)
                return "The payload";
            var text = new System.Text.StringBuilder();
            for (var d = 1; d <= depth; d++)
            {
                if (_names[d] is { } name)
                    text.Append(text.Length == 0 ? "" : ".").Append(name);
                else
                    text.Append('[').Append(_indexes[d]).Append(']');
            }
            return text.ToString();
        }

        private void Ensure(int depth)
        {
            while (_names.Count <= depth)
            {
                _names.Add(null);
                _indexes.Add(-1);
            }
        }
    }
}
