namespace Gateway.Core.Handlers.Users;

/// <summary>A request naming a user: <c>{"UserId"}</c> or <c>{"UserName"}</c>; neither means the caller where allowed.</summary>
public sealed class UserRequest : Dispatch.IOmsRequest
{
    /// <summary>The user's id; absent, null or 0 means not given.</summary>
    public int? UserId { get; init; }

    /// <summary>The user's name; absent, null or "" means not given.</summary>
    public string? UserName { get; init; }

    /// <summary>Accepted on every call; absent or 0 means 1.</summary>
    public int? OMSId { get; init; }
}
