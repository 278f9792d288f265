using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.ApiKeys;

/// <summary><c>{"UserId","Permissions"}</c> to add a key, <c>{"UserId","APIKey"}</c> to remove one; no UserId means the caller.</summary>
public sealed class ApiKeyRequest : IOmsRequest
{
    /// <summary>The key's user; absent or 0 means the caller.</summary>
    public int? UserId { get; set; }

    /// <summary>The key's user by name, instead of UserId.</summary>
    public string? UserName { get; set; }

    /// <summary>AddUserAPIKey: the permissions the key carries, each held by its user.</summary>
    public IReadOnlyList<string>? Permissions { get; set; }

    /// <summary>RemoveUserAPIKey: the key to remove.</summary>
    public string? APIKey { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}

/// <summary>A key as GetUserAPIKeys shows it: never its secret.</summary>
/// <param name="APIKey">The key.</param>
/// <param name="UserId">Its user.</param>
/// <param name="Permissions">What a session opened with it may do, at most.</param>
public sealed record ApiKeyInfo(string APIKey, int UserId, IReadOnlyList<string> Permissions);

/// <summary>AddUserAPIKey's answer: the only time the secret is shown.</summary>
/// <param name="APIKey">The key.</param>
/// <param name="APISecret">The secret to sign with; the gateway can derive it again but never shows it again.</param>
/// <param name="UserId">Its user.</param>
/// <param name="Permissions">Its permissions.</param>
public sealed record NewApiKey(string APIKey, string APISecret, int UserId, IReadOnlyList<string> Permissions);
