namespace Gateway.Core.Storage;

/// <summary>A page of users by ascending UserId; every filter left null matches every user.</summary>
public sealed record UserFilter(int StartIndex, int Limit)
{
    /// <summary>A user-name key (<see cref="Sessions.UserNames.Key"/>) the user's must contain.</summary>
    public string? NameNeedle { get; init; }
    /// <summary>Text the email must contain, ignoring the case of ASCII letters (SQLite's lower); matched together with <see cref="NameNeedle"/> (either one).</summary>
    public string? EmailNeedle { get; init; }
    /// <summary>Filter.</summary>
    public bool? Locked { get; init; }
    /// <summary>Filter.</summary>
    public bool? EmailVerified { get; init; }
    /// <summary>Filter.</summary>
    public bool? Active { get; init; }
    /// <summary>Only the users this user referred.</summary>
    public int? RefererId { get; init; }
    /// <summary>Only the users granted this permission (its canonical name).</summary>
    public string? Permission { get; init; }
    /// <summary>DateTimeCreated at or after this ISO-8601 UTC time.</summary>
    public string? CreatedFrom { get; init; }
    /// <summary>DateTimeCreated before this ISO-8601 UTC time.</summary>
    public string? CreatedTo { get; init; }
}

/// <summary>A page of accounts by ascending AccountId; every filter left null or false matches every account.</summary>
public sealed record AccountFilter(int StartIndex, int Limit)
{
    /// <summary>Text AccountName or AccountHandle must contain, ignoring the case of ASCII letters (SQLite's lower).</summary>
    public string? Needle { get; init; }
    /// <summary>Only accounts with a FirmId.</summary>
    public bool NeedFirmId { get; init; }
    /// <summary>Only accounts with a FirmName.</summary>
    public bool NeedFirmName { get; init; }
}
