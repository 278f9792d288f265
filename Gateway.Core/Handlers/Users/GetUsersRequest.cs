using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Users;

/// <summary><c>{"OMSId","StartIndex","Limit", filters}</c>; every filter is optional and all given must match.</summary>
public sealed class GetUsersRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>The lowest UserId to return; absent or 0 is the first.</summary>
    public int? StartIndex { get; set; }
    /// <summary>Rows at most; absent or 0 is 100.</summary>
    public int? Limit { get; set; }
    /// <summary>Literal text UserName or Email contains, ignoring case.</summary>
    public string? Search { get; set; }
    /// <summary>Filter.</summary>
    public bool? Locked { get; set; }
    /// <summary>Filter.</summary>
    public bool? EmailVerified { get; set; }
    /// <summary>Filter.</summary>
    public bool? Active { get; set; }
    /// <summary>The users this user referred.</summary>
    public int? RefererId { get; set; }
    /// <summary>The users granted this permission (a name of GetAvailablePermissionList).</summary>
    public string? Permission { get; set; }
    /// <summary>DateTimeCreated at or after: ISO-8601 text or .NET ticks.</summary>
    public JsonElement? CreatedFrom { get; set; }
    /// <summary>DateTimeCreated before: ISO-8601 text or .NET ticks.</summary>
    public JsonElement? CreatedTo { get; set; }
}
