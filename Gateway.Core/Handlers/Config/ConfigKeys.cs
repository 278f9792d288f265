using System.Globalization;
using System.Text.Json;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Config;

/// <summary>
/// The config key and value rules of calls-next.md ("User config"), as far as RegisterNewUser's <c>UserConfig</c>
/// needs them: the request shape, key and value checks, reserved keys (refused for everyone) and protected keys (only
/// an operator may write them, and a registration never has one).
/// </summary>
public static class ConfigKeys
{
    /// <summary>The longest key.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The longest value (<c>Gateway:Limits:ConfigValueChars</c> in the spec's default).</summary>
    public const int MaxValueLength = 1024;

    /// <summary>The most keys one user may have.</summary>
    public const int MaxKeys = 100;

    private static readonly string[] SecretWords = ["password", "passphrase", "secret", "token", "signature", "seed", "apikey", "totp", "2fa"];

    private static readonly HashSet<string> SecurityFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "UserId", "UserName", "Email", "EmailVerified", "AccountId", "OMSId", "Use2FA", "Locked", "LockedTime",
        "NumberOfFailedAttempt", "Active", "AffiliateId", "RefererId", "ExternalUserId", "FederatedUserId", "UserType",
        "RoleType", "AccountType", "RiskType", "VerificationLevel", "FeeGroupID", "ParentID", "Permission", "Permissions",
        "Operator", "Trading", "Deposit", "Withdraw", "AccountReadOnly",
    };

    /// <summary>True for a key no one may set: a secret's name, or a security or status field's.</summary>
    public static bool IsReserved(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecurityFields.Contains(key) || SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>True for a key only an operator may set or remove: <c>levelIncreaseStatus</c> and <c>Operator.*</c>.</summary>
    public static bool IsProtected(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Equals("levelIncreaseStatus", StringComparison.OrdinalIgnoreCase) || key.StartsWith("Operator.", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The entries of <paramref name="config"/> (an array of <c>{"Key","Value"}</c> items or one item; the key may be
    /// spelled <c>Name</c>), checked: 100 naming <paramref name="field"/> and the item's index for a bad shape, key or
    /// value, a key given twice or a reserved key; 101 over <see cref="MaxKeys"/>; 20 for a protected key.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Read(JsonElement? config, string field)
    {
        if (config is not { } given || given.ValueKind == JsonValueKind.Null)
            return [];
        var items = given.ValueKind switch
        {
            JsonValueKind.Array => given.EnumerateArray().ToList(),
            JsonValueKind.Object => [given],
            _ => throw Invalid($"{field} must be an array of {{\"Key\",\"Value\"}} items"),
        };
        if (items.Count > MaxKeys)
            throw new GatewayException(ErrorCode.OperationFailed, $"{field} has {items.Count.ToString(CultureInfo.InvariantCulture)} keys; the limit is {MaxKeys}");
        var entries = new List<KeyValuePair<string, string>>(items.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{field}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var (key, value) = Item(items[i], at);
            if (!seen.Add(key))
                throw Invalid($"{field} names key '{key}' twice");
            if (IsReserved(key))
                throw Invalid($"config key '{key}' is reserved");
            if (IsProtected(key))
                throw new GatewayException(ErrorCode.NotAuthorized, $"config key '{key}' can be set or removed only by an operator");
            entries.Add(new(key, value));
        }
        return entries;
    }

    private static (string Key, string Value) Item(JsonElement item, string at)
    {
        if (item.ValueKind != JsonValueKind.Object)
            throw Invalid($"{at} must be an object {{\"Key\",\"Value\"}}");
        string? key = null, name = null;
        JsonElement? value = null;
        foreach (var property in item.EnumerateObject())
        {
            if (property.Name.Equals("Key", StringComparison.OrdinalIgnoreCase))
                key = Text(property.Value, $"{at}.Key");
            else if (property.Name.Equals("Name", StringComparison.OrdinalIgnoreCase))
                name = Text(property.Value, $"{at}.Name");
            else if (property.Name.Equals("Value", StringComparison.OrdinalIgnoreCase))
                value = property.Value;
        }
        if (key is not null && name is not null && !key.Equals(name, StringComparison.Ordinal))
            throw Invalid($"{at} names two keys: Key '{key}' and Name '{name}'");
        key ??= name;
        if (key is null || key.Length is 0 or > MaxKeyLength || key.Any(c => c is < ' ' or > '~') || key[0] == ' ' || key[^1] == ' ')
            throw Invalid($"{at}.Key must be 1-64 printable ASCII characters");
        return (key, Value(value, at));
    }

    private static string? Text(JsonElement element, string at) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => throw Invalid($"{at} must be a string"),
    };

    private static string Value(JsonElement? value, string at)
    {
        var text = value?.ValueKind switch
        {
            null or JsonValueKind.Null or JsonValueKind.Undefined => throw Invalid($"{at}.Value is required"),
            JsonValueKind.String => value.Value.GetString()!,
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.Value.GetRawText(),
            _ => throw Invalid($"{at}.Value must be a string, a number or a boolean"),
        };
        if (text.Length > MaxValueLength)
            throw Invalid($"{at}.Value is {text.Length.ToString(CultureInfo.InvariantCulture)} characters long; the limit is {MaxValueLength}");
        if (text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n')))
            throw Invalid($"{at}.Value must not contain control characters other than tab, CR and LF");
        return text;
    }

    private static GatewayException Invalid(string detail) => new(ErrorCode.InvalidRequest, detail);
}
