using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Config;

/// <summary><c>{"UserId","UserName","Config","Key"}</c>: whose config (neither key: the caller), what to set or remove.</summary>
public sealed class UserConfigRequest : IOmsRequest
{
    /// <summary>The user; absent, null or 0 means not given.</summary>
    public int? UserId { get; set; }

    /// <summary>The user; absent, null or "" means not given.</summary>
    public string? UserName { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }

    /// <summary>SetUserConfig: an array of <c>{"Key","Value"}</c>, or one such object.</summary>
    public JsonElement? Config { get; set; }

    /// <summary>RemoveUserConfig: the key to remove.</summary>
    public string? Key { get; set; }
}
