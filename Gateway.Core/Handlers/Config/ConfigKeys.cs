using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.Config;

/// <summary>
/// The rules every config write shares (SetUserConfig, SetAccountConfig, the Removes, and RegisterNewUser's
/// <c>UserConfig</c>): the shape of the items, key and value syntax, reserved keys (refused for everyone) and protected
/// keys (written only by an Operator or a holder of the call's own permission). The gateway never reads config to
/// decide anything; these rules only keep secrets and security fields out of it and front-ends' facts operator-made.
/// </summary>
public sealed class ConfigKeys(IOptions<GatewayOptions> options)
{
    /// <summary>Longest key, in characters.</summary>
    public const int MaxKeyLength = 64;

    private static readonly string[] ReservedParts = ["password", "passphrase", "secret", "token", "signature", "seed", "apikey", "totp", "2fa"];

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "UserId", "UserName", "Email", "EmailVerified", "AccountId", "OMSId", "Use2FA", "Locked", "LockedTime", "NumberOfFailedAttempt",
        "Active", "AffiliateId", "RefererId", "ExternalUserId", "FederatedUserId", "UserType", "RoleType", "AccountType", "RiskType",
        "VerificationLevel", "FeeGroupID", "ParentID", "Permission", "Permissions", "Operator", "Trading", "Deposit", "Withdraw", "AccountReadOnly",
    };

    /// <summary>The key every level-of-verification front-end reads; always protected.</summary>
    public const string LevelIncreaseStatus = "levelIncreaseStatus";

    /// <summary>Keys starting with this (ignoring case) are protected.</summary>
    public const string OperatorPrefix = "Operator.";

    private LimitOptions Limits => options.Value.Limits;

    /// <summary>True when <paramref name="key"/> is 1–64 printable ASCII characters without a leading or trailing space.</summary>
    public static bool IsWellFormed(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key[0] != ' ' && key[^1] != ' ' && key.All(c => c is >= ' ' and <= '~');

    /// <summary>True when no one may set <paramref name="key"/>: it names a secret or a security or status field.</summary>
    public static bool IsReserved(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReservedNames.Contains(key) || ReservedParts.Any(part => key.Contains(part, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True when only an Operator (or a holder of the call's own permission) may set or remove <paramref name="key"/>.</summary>
    public bool IsProtected(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Equals(LevelIncreaseStatus, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(OperatorPrefix, StringComparison.OrdinalIgnoreCase)
            || options.Value.Config.ProtectedKeys.Contains(key, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The items of <paramref name="config"/> (an array of <c>{"Key","Value"}</c>, or one such object), checked in order:
    /// 100 naming the first bad item by <paramref name="field"/> and its index, a reserved key, or a key given twice.
    /// </summary>
    public IReadOnlyList<ConfigEntry> Parse(JsonElement? config, string field)
    {
        if (config is not { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value)
            throw Invalid($"{field} is required: an array of {{\"Key\",\"Value\"}} items");
        if (value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Object))
            throw Invalid($"{field} must be an array of {{\"Key\",\"Value\"}} items, or one such object");
        var items = value.ValueKind == JsonValueKind.Object ? [value] : value.EnumerateArray().ToList();
        if (items.Count == 0)
            throw Invalid($"{field} is empty; it needs at least one {{\"Key\",\"Value\"}} item");
        var entries = new List<ConfigEntry>(items.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var index = 0; index < items.Count; index++)
        {
            var entry = Item(items[index], $"{field}[{index}]");
            if (!seen.Add(entry.Key))
                throw Invalid($"{field} names key '{entry.Key}' twice");
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>The key a Remove names, checked as a Set checks it: 100 when missing, malformed or reserved.</summary>
    public static string CheckKey(string? key, string field = "Key")
    {
        if (string.IsNullOrEmpty(key))
            throw Invalid($"{field} is required");
        if (!IsWellFormed(key))
            throw Invalid($"{field} must be 1-{MaxKeyLength} printable ASCII characters");
        if (IsReserved(key))
            throw Invalid($"config key '{key}' is reserved");
        return key;
    }

    /// <summary>Refuses (20) a protected key unless <paramref name="mayWriteProtected"/>; the same text for Set, Remove and Batch items.</summary>
    public void EnsureMayWrite(IEnumerable<string> keys, bool mayWriteProtected)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (mayWriteProtected)
            return;
        if (keys.FirstOrDefault(IsProtected) is { } key)
            throw new GatewayException(ErrorCode.NotAuthorized, $"config key '{key}' can be set or removed only by an operator");
    }

    /// <summary>Sorts a config list as every reply and audit record holds it: by key, ignoring case.</summary>
    public static IReadOnlyList<ConfigEntry> Sorted(IEnumerable<ConfigEntry> entries) =>
        [.. entries.OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase)];

    private ConfigEntry Item(JsonElement item, string name)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw Invalid($"{name} must be an object {{\"Key\",\"Value\"}}");
        JsonElement? key = null, alias = null, value = null;
        foreach (var property in item.EnumerateObject())
        {
            if (property.Name.Equals("Key", StringComparison.OrdinalIgnoreCase))
                key ??= property.Value;
            else if (property.Name.Equals("Name", StringComparison.OrdinalIgnoreCase))
                alias ??= property.Value;
            else if (property.Name.Equals("Value", StringComparison.OrdinalIgnoreCase))
                value ??= property.Value;
        }
        var keyText = Text(key, $"{name}.Key");
        var aliasText = Text(alias, $"{name}.Name");
        if (keyText is not null && aliasText is not null && !string.Equals(keyText, aliasText, StringComparison.Ordinal))
            throw Invalid($"{name} gives Key '{keyText}' and Name '{aliasText}'; send one of them");
        var text = CheckKey(keyText ?? aliasText, $"{name}.Key");
        return new ConfigEntry(text, Value(value, $"{name}.Value"));
    }

    private static string? Text(JsonElement? element, string name) => element switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } s => s.GetString() is { Length: > 0 } text ? text : null,
        _ => throw Invalid($"{name} must be a string"),
    };

    private string Value(JsonElement? element, string name)
    {
        var text = element switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => throw Invalid($"{name} is required"),
            { ValueKind: JsonValueKind.String } s => s.GetString()!,
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            { ValueKind: JsonValueKind.True } => "true",
            { ValueKind: JsonValueKind.False } => "false",
            _ => throw Invalid($"{name} must be a string, a number or a boolean, not an object or array"),
        };
        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            length++;
            if (Rune.IsControl(rune) && rune.Value is not ('\t' or '\r' or '\n'))
                throw Invalid($"{name} holds the control character U+{rune.Value.ToString("X4", CultureInfo.InvariantCulture)} at position {length}; only tab, CR and LF are allowed");
        }
        if (length > Limits.ConfigValueChars)
            throw Invalid($"{name} is {length} characters long; the limit is {Limits.ConfigValueChars}");
        return text;
    }

    private static GatewayException Invalid(string detail) => new(ErrorCode.InvalidRequest, detail);
}
