using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Protocol;

/// <summary>The source-generated serializer context for what the protocol itself writes and reads: the standard reply and string maps.</summary>
[JsonSerializable(typeof(StandardResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;

/// <summary>Serializer settings shared by the codec, every transport and every payload context.</summary>
public static class GatewayJson
{
    /// <summary>
    /// New options with the gateway's settings, for one serializer context to bind to. Payload keys match
    /// case-insensitively and integer keys accept numeric strings (protocol.md 2.8); the relaxed encoder writes
    /// <c>\"</c> and leaves non-ASCII text as it is, as deployed gateways do.
    /// </summary>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The options <see cref="Context"/> is bound to.</summary>
    public static JsonSerializerOptions Options => Context.Options;

    /// <summary>The protocol's context bound to the gateway's settings; use its typed properties to serialize.</summary>
    public static GatewayJsonContext Context { get; } = new(CreateOptions());
}
