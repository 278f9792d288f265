using System.Text.Json.Serialization;
using Gateway.Core.Protocol;

namespace Gateway.Core.Resources;

/// <summary>The source-generated serializer context for the bodies of the REST resources.</summary>
[JsonSerializable(typeof(AccountUserCreateDto))]
[JsonSerializable(typeof(AccountUserDto))]
[JsonSerializable(typeof(IReadOnlyList<AccountUserDto>))]
public sealed partial class ResourceJsonContext : JsonSerializerContext;

/// <summary>The resource bodies' serializer context, bound to the gateway's settings.</summary>
public static class ResourceJson
{
    /// <summary>The context bound to <see cref="GatewayJson.CreateOptions"/>; use its typed properties to serialize.</summary>
    public static ResourceJsonContext Context { get; } = new(GatewayJson.CreateOptions());
}
