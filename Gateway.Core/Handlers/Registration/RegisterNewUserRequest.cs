using System.Text.Json;
using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Registration;

/// <summary>
/// <c>{"UserInfo":{"UserName","Email","passwordHash"},"UserConfig":[{"Key","Value"}],"AffiliateTag"}</c>: only these
/// keys are read; every other key (UserId, Locked, OperatorId, a permission list...) is ignored and never applied.
/// </summary>
public sealed class RegisterNewUserRequest : IOmsRequest, IPostOnlyRequest
{
    /// <summary>The new user's name, email and password.</summary>
    public RegistrationInfo? UserInfo { get; set; }

    /// <summary>Config entries stored with the new user: an array of <c>{"Key","Value"}</c>, or one item.</summary>
    public JsonElement? UserConfig { get; set; }

    /// <summary>The tag of the user who referred this one.</summary>
    public string? AffiliateTag { get; set; }

    /// <inheritdoc />
    public int? OMSId { get; set; }
}

/// <summary>The fields of <c>UserInfo</c> a registration takes.</summary>
public sealed class RegistrationInfo
{
    /// <summary>3–64 ASCII letters, digits, <c>. _ - @</c>.</summary>
    public string? UserName { get; set; }

    /// <summary>Required.</summary>
    public string? Email { get; set; }

    /// <summary>The clear password (APEX's name for it; <c>passwordHash</c> matches too, keys being case-insensitive).</summary>
    public string? PasswordHash { get; set; }

    /// <summary>The clear password under its plain name.</summary>
    public string? Password { get; set; }
}
