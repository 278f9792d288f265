using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Client;

/// <summary>
/// The calls that take <c>ClientRequestId</c> and <c>DryRun</c> (protocol.md section 9): the gateway's write calls and
/// Batch. A client keeps its own list (the gateway's test suite checks that it matches the gateway's catalog) so it
/// can mark a script's writes without asking the gateway first.
/// </summary>
public static class WriteCalls
{
    /// <summary>Every write call, and Batch.</summary>
    public static FrozenSet<string> Names { get; } = new[]
    {
        "CreateUser", "SetUserInfo", "UnLockUser", "AddUserPermission", "RevokeUserPermission", "AddAccount", "AddUserAccount",
        "RemoveUserAccount", "AddUserAffiliateTag", "UpdateUserAffiliateTag", "RemoveUserAffiliateTag", "AddUserAPIKey",
        "RemoveUserAPIKey", "EnableGoogle2FA", "Disable2FA", "SetUserConfig", "RemoveUserConfig", "SetAccountConfig",
        "RemoveAccountConfig", "UpdateAccount", "RegisterNewUser", "RegisterUser", "ResetPassword", "ResetPassword2", "Batch",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="function"/> (any casing) takes ClientRequestId and DryRun.</summary>
    public static bool Takes(string function) => Names.Contains(function);

    /// <summary>
    /// <paramref name="payload"/> with <c>"DryRun":true</c> and/or <c>"ClientRequestId"</c> added when
    /// <paramref name="function"/> is a write call and the payload is a JSON object that does not set them itself;
    /// otherwise the payload as it is.
    /// </summary>
    public static string Mark(string function, string payload, bool dryRun, string? clientRequestId)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!Takes(function) || (!dryRun && clientRequestId is null))
            return payload;
        JsonObject? body;
        try
        {
            body = JsonNode.Parse(payload.Trim().Length == 0 ? "{}" : payload) as JsonObject;
        }
        catch (JsonException)
        {
            return payload;
        }
        if (body is null)
            return payload;
        if (dryRun && !Has(body, "DryRun"))
            body["DryRun"] = true;
        if (clientRequestId is not null && !Has(body, "ClientRequestId"))
            body["ClientRequestId"] = clientRequestId;
        return body.ToJsonString();
    }

    private static bool Has(JsonObject body, string key) => body.Any(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));
}
