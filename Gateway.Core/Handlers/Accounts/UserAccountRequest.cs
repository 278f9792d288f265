using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Accounts;

/// <summary><c>{"accountId","accountHandle","userId","userName"}</c> (seeds 000 and 001); 0 and "" mean not given.</summary>
public sealed class UserAccountRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>The account by id.</summary>
    public int? AccountId { get; set; }
    /// <summary>The account by handle, ignoring case.</summary>
    public string? AccountHandle { get; set; }
    /// <summary>The user by id.</summary>
    public int? UserId { get; set; }
    /// <summary>The user by name, ignoring case.</summary>
    public string? UserName { get; set; }
}
