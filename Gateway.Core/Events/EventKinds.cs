using System.Buffers;
using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gateway.Core.Resources;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Events;

/// <summary>
/// Which event an audit row is (protocol.md section 10's table), by the function that wrote it, and the event's fields,
/// read from the row's After (and Before, for a removed tag): exactly one event per row that has one.
/// </summary>
public static class EventKinds
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly FrozenDictionary<string, string> ByFunction = new Dictionary<string, string>
    {
        ["AddUserPermission"] = EventNames.Permissions,
        ["RevokeUserPermission"] = EventNames.Permissions,
        ["AddUserAccount"] = EventNames.Accounts,
        ["RemoveUserAccount"] = EventNames.Accounts,
        [AccountUsersResource.AuditName] = EventNames.Accounts,
        ["AddUserAffiliateTag"] = EventNames.AffiliateTag,
        ["UpdateUserAffiliateTag"] = EventNames.AffiliateTag,
        ["RemoveUserAffiliateTag"] = EventNames.AffiliateTag,
        ["SetUserInfo"] = EventNames.UserInfo,
        ["UnLockUser"] = EventNames.UserInfo,
        ["EnableGoogle2FA"] = EventNames.UserInfo,
        ["Disable2FA"] = EventNames.UserInfo,
        ["AddUserAPIKey"] = EventNames.ApiKeys,
        ["RemoveUserAPIKey"] = EventNames.ApiKeys,
        ["LogOut"] = EventNames.SessionEnded,
        [SessionEnd.AuditFunction] = EventNames.SessionEnded,
        ["SetUserConfig"] = EventNames.UserConfig,
        ["RemoveUserConfig"] = EventNames.UserConfig,
        ["UpdateAccount"] = EventNames.AccountInfo,
        ["SetAccountConfig"] = EventNames.AccountConfig,
        ["RemoveAccountConfig"] = EventNames.AccountConfig,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The functions whose audit rows are events, for reading them back out of the log.</summary>
    public static IReadOnlyList<string> Functions { get; } = [.. ByFunction.Keys];

    /// <summary>The user an audit row's event concerns, or null when the row is no event.</summary>
    public static int? UserOf(AuditLog.AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.TargetUserId is { } user && ByFunction.TryGetValue(row.Function, out var name) && !IsAccountEvent(name) ? (int)user : null;
    }

    /// <summary>
    /// The account an account event's row changed (AccountInfoEvent, AccountConfigEvent), or null for any other row:
    /// such an event goes to every user linked to the account and to the all-users streams.
    /// </summary>
    public static int? AccountOf(AuditLog.AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.TargetAccountId is { } account && ByFunction.TryGetValue(row.Function, out var name) && IsAccountEvent(name) ? (int)account : null;
    }

    /// <summary>
    /// The event of <paramref name="row"/> as the stream of <paramref name="streamUserId"/> (0: every user) carries it,
    /// or null when the row is no event. An account event names the stream's user, or 0 in the all-users stream.
    /// </summary>
    public static UserEvent? ForStream(AuditLog.AuditRow row, int streamUserId) =>
        AccountOf(row) is not null ? Build(row, streamUserId) : From(row);

    private static bool IsAccountEvent(string name) => name is EventNames.AccountInfo or EventNames.AccountConfig;

    /// <summary>True when <paramref name="row"/> is a permission change that leaves its user without Operator.</summary>
    public static bool LostOperator(AuditLog.AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return ByFunction.GetValueOrDefault(row.Function) == EventNames.Permissions
            && row.After?.Contains("\"Operator\"", StringComparison.Ordinal) != true;
    }

    /// <summary>The event of <paramref name="row"/>, or null when the row is no event.</summary>
    public static UserEvent? From(AuditLog.AuditRow row) => UserOf(row) is { } userId ? Build(row, userId) : null;

    private static UserEvent Build(AuditLog.AuditRow row, int userId)
    {
        var name = ByFunction[row.Function];
        var output = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(output, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("UserId", userId);
            json.WriteString("Function", row.Function);
            json.WriteString("Time", row.At);
            WriteFields(json, name, row);
            json.WriteEndObject();
        }
        // The leading '{' is the stream's: it writes Sequence and PrevSequence first.
        return new UserEvent(name, row.Id, userId, output.WrittenSpan[1..].ToArray());
    }

    private static void WriteFields(Utf8JsonWriter json, string name, AuditLog.AuditRow row)
    {
        switch (name)
        {
            case EventNames.Permissions:
                CopyProperty(json, row.After, "Permissions");
                break;
            case EventNames.Accounts:
                CopyProperty(json, row.After, "AccountIds");
                break;
            case EventNames.ApiKeys:
                CopyProperty(json, row.After, "APIKeys");
                break;
            case EventNames.AffiliateTag:
                // A removed tag has no After: its AffiliateId is the one it had, its tag null.
                CopyProperty(json, row.After ?? row.Before, "AffiliateId");
                if (row.After is null)
                    json.WriteNull("AffiliateTag");
                else
                    CopyProperty(json, row.After, "AffiliateTag");
                break;
            case EventNames.UserInfo:
                json.WritePropertyName("User");
                WriteRaw(json, row.After);
                break;
            case EventNames.UserConfig:
                CopyProperty(json, row.After, "UserConfig");
                break;
            case EventNames.AccountInfo:
                json.WriteNumber("AccountId", row.TargetAccountId ?? 0);
                json.WritePropertyName("Account");
                WriteRaw(json, row.After);
                break;
            case EventNames.AccountConfig:
                json.WriteNumber("AccountId", row.TargetAccountId ?? 0);
                CopyProperty(json, row.After, "AccountConfig");
                break;
            case EventNames.SessionEnded:
                // LogOut's record is the call's; a session the gateway ended records its reason as After.
                if (row.Function == "LogOut")
                    json.WriteString("Reason", "LogOut");
                else
                    CopyProperty(json, row.After, "Reason");
                break;
        }
    }

    private static void WriteRaw(Utf8JsonWriter json, string? state)
    {
        if (state is not null)
        {
            try
            {
                using var document = JsonDocument.Parse(state);
                document.RootElement.WriteTo(json);
                return;
            }
            catch (JsonException)
            {
                // As in CopyProperty: null rather than a fault on the writer.
            }
        }
        json.WriteNullValue();
    }

    private static void CopyProperty(Utf8JsonWriter json, string? state, string key)
    {
        json.WritePropertyName(key);
        if (state is null)
        {
            json.WriteNullValue();
            return;
        }
        // The writer runs this after a commit: a state that is not JSON (never written so by the gateway) gives null, not a fault.
        try
        {
            using var document = JsonDocument.Parse(state);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(key, out var value))
            {
                value.WriteTo(json);
                return;
            }
        }
        catch (JsonException)
        {
        }
        json.WriteNullValue();
    }
}
