using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Storage;

namespace Gateway.Core.Dispatch;

/// <summary>
/// The detail of a payload the binder refused, naming the key, the type it must have and the value sent:
/// <c>UserId must be an integer, not "abc"</c>. The value of a secret key (a password, say) is never quoted.
/// </summary>
public static class BindingErrors
{
    private const int MaxQuoted = 32;

    /// <summary>The detail for <paramref name="error"/>, raised binding <paramref name="payload"/> as <paramref name="request"/> for <paramref name="function"/>.</summary>
    public static string Describe(JsonException error, ReadOnlySpan<byte> payload, JsonTypeInfo request, string function)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(request);
        if (error.Path is null or "$")
            return $"the payload of {function} must be a JSON object";
        var key = error.Path.TrimStart('$', '.');
        if (Segments(error.Path) is not { } path || ExpectedType(request, path) is not { } type)
            return $"{key} has a value of the wrong type for {function}";

        var secret = path.Exists(s => s.Name is { } name && AuditPayload.IsSecret(name));
        var value = secret ? null : ValueAt(payload, path);
        var expected = Expected(type, request.Options, value);
        return value is null ? $"{key} must be {expected}" : $"{key} must be {expected}, not {Quote(value.Value)}";
    }

    // "$.UserInfo.TFCNumber", "$.Permissions[1]", "$['odd.key']": null when the path has another form.
    private static List<Segment>? Segments(string path)
    {
        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], -1));
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['", StringComparison.Ordinal) && path.IndexOf("']", i + 2, StringComparison.Ordinal) is > 0 and var close)
            {
                segments.Add(new Segment(path[(i + 2)..close], -1));
                i = close + 2;
            }
            else if (path[i] == '[' && path.IndexOf(']', i) is > 0 and var end
                && int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                segments.Add(new Segment(null, index));
                i = end + 1;
            }
            else
            {
                return null;
            }
        }
        return segments;
    }

    // Follows the path through the request's metadata, matching keys case-insensitively as the binder does.
    private static Type? ExpectedType(JsonTypeInfo request, List<Segment> path)
    {
        var type = request.Type;
        var info = request;
        try
        {
            foreach (var segment in path)
            {
                info ??= request.Options.GetTypeInfo(type);
                if (segment.Name is { } name)
                {
                    var property = info.Kind == JsonTypeInfoKind.Object
                        ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                        : null;
                    if (property is null)
                        return null;
                    type = property.PropertyType;
                }
                else
                {
                    if (info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is null)
                        return null;
                    type = info.ElementType;
                }
                info = null;
            }
        }
        catch (NotSupportedException)
        {
            return null;
        }
        return type;
    }

    private static string Expected(Type type, JsonSerializerOptions options, JsonElement? value)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (Range(type) is { } range && value is { } number && IsWholeNumber(number))
            return $"an integer from {range.Min} to {range.Max}";
        if (type == typeof(string) && value is { ValueKind: JsonValueKind.String })
            return "a string of valid Unicode text";
        var noun = Noun(type, options);
        return ("aeiou".Contains(noun[0], StringComparison.Ordinal) ? "an " : "a ") + noun;
    }

    private static string Noun(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return "string";
        if (type == typeof(bool))
            return "boolean";
        if (Range(type) is not null)
            return "integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return "number";
        try
        {
            if (options.GetTypeInfo(type) is { Kind: JsonTypeInfoKind.Enumerable, ElementType: { } element })
                return "list of " + Plural(Noun(element, options));
        }
        catch (NotSupportedException)
        {
            // A type the context does not know: it is read as an object if at all.
        }
        return "object";
    }

    private static string Plural(string noun) =>
        noun.StartsWith("list of ", StringComparison.Ordinal) ? "lists of " + noun["list of ".Length..] : noun + "s";

    private static (string Min, string Max)? Range(Type type) =>
        type == typeof(int) ? Of(int.MinValue, int.MaxValue)
        : type == typeof(long) ? Of(long.MinValue, long.MaxValue)
        : null;

    private static (string, string) Of<T>(T min, T max) where T : IFormattable =>
        (min.ToString(null, CultureInfo.InvariantCulture), max.ToString(null, CultureInfo.InvariantCulture));

    // A whole number that did not bind as an integer was out of range; numeric strings count, as the binder reads them.
    private static bool IsWholeNumber(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetRawText()[1..^1],
            _ => null,
        };
        var digits = text is ['-', .. var rest] ? rest : text;
        return !string.IsNullOrEmpty(digits) && digits.All(char.IsAsciiDigit);
    }

    private static JsonElement? ValueAt(ReadOnlySpan<byte> payload, List<Segment> path)
    {
        try
        {
            using var document = JsonDocument.Parse(payload.ToArray());
            var element = document.RootElement;
            foreach (var segment in path)
            {
                if (segment.Name is { } name)
                {
                    if (element.ValueKind != JsonValueKind.Object)
                        return null;
                    // The binder keeps the last of several matching keys.
                    JsonElement? match = null;
                    foreach (var property in element.EnumerateObject())
                    {
                        if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                            match = property.Value;
                    }
                    if (match is not { } found)
                        return null;
                    element = found;
                }
                else
                {
                    if (element.ValueKind != JsonValueKind.Array || segment.Index >= element.GetArrayLength())
                        return null;
                    element = element[segment.Index];
                }
            }
            return element.Clone();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // The value as JSON text (strings keep their quotes and escapes), cut to MaxQuoted characters.
    private static string Quote(JsonElement value)
    {
        var text = value.GetRawText();
        if (text.Length <= MaxQuoted)
            return text;
        var cut = char.IsHighSurrogate(text[MaxQuoted - 1]) ? MaxQuoted - 1 : MaxQuoted;
        return text[..cut] + "…";
    }

    private readonly record struct Segment(string? Name, int Index);
}
