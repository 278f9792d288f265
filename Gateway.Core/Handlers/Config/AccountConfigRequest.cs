using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Config;

/// <summary><c>{"OMSId","AccountId","AccountHandle","Config","Key"}</c>: which account (required), what to set or remove.</summary>
public sealed class AccountConfigRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }

    /// <summary>The account; absent, null or 0 means not given.</summary>
    public int? AccountId { get; set; }

    /// <summary>The account; absent, null or "" means not given.</summary>
    public string? AccountHandle { get; set; }

    /// <summary>SetAccountConfig: one <c>{"Key","Value"}</c> object (as APEX documents), or an array of them.</summary>
    public JsonElement? Config { get; set; }

    /// <summary>RemoveAccountConfig: the key to remove.</summary>
    public string? Key { get; set; }
}
