namespace Gateway.Core.Handlers.Config;

/// <summary>One config item as GetUserConfig and GetAccountConfig answer it: <c>{"Key","Value"}</c>, both strings.</summary>
/// <param name="Key">The key in the spelling of its last Set.</param>
/// <param name="Value">The value exactly as stored.</param>
public sealed record ConfigEntry(string Key, string Value);

/// <summary>A user's config in an audit record: <c>{"UserConfig":[...]}</c> as GetUserConfig answers.</summary>
/// <param name="UserConfig">The whole list, sorted by key ignoring case.</param>
public sealed record UserConfigState(IReadOnlyList<ConfigEntry> UserConfig);

/// <summary>An account's config in an audit record: <c>{"AccountConfig":[...]}</c> as GetAccountConfig answers.</summary>
/// <param name="AccountConfig">The whole list, sorted by key ignoring case.</param>
public sealed record AccountConfigState(IReadOnlyList<ConfigEntry> AccountConfig);
