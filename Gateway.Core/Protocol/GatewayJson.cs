using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Handlers;
using Gateway.Core.Handlers.Accounts;
using Gateway.Core.Handlers.ApiKeys;
using Gateway.Core.Handlers.Affiliates;
using Gateway.Core.Handlers.Audit;
using Gateway.Core.Handlers.Permissions;
using Gateway.Core.Handlers.Service;
using Gateway.Core.Handlers.Sessions;
using Gateway.Core.Handlers.TwoFactor;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Health;
using Gateway.Core.Resources;

namespace Gateway.Core.Protocol;

/// <summary>The one source-generated serializer context for every payload type of the gateway.</summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(StandardResponse))]
[JsonSerializable(typeof(EmptyRequest))]
[JsonSerializable(typeof(PingResponse))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(AuthenticateUserReply))]
[JsonSerializable(typeof(WebAuthenticateUserReply))]
[JsonSerializable(typeof(UserRequest))]
[JsonSerializable(typeof(UserInfo))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(CreateUserResponse))]
[JsonSerializable(typeof(SetUserInfoRequest))]
[JsonSerializable(typeof(PermissionRequest))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(AccountUserCreateDto))]
[JsonSerializable(typeof(AccountUserDto))]
[JsonSerializable(typeof(IReadOnlyList<AccountUserDto>))]
[JsonSerializable(typeof(AddAccountRequest))]
[JsonSerializable(typeof(AddAccountResponse))]
[JsonSerializable(typeof(AccountRequest))]
[JsonSerializable(typeof(AccountInfo))]
[JsonSerializable(typeof(IReadOnlyList<AccountInfo>))]
[JsonSerializable(typeof(IReadOnlyList<AccountUser>))]
[JsonSerializable(typeof(UserAccountRequest))]
[JsonSerializable(typeof(AffiliateTagRequest))]
[JsonSerializable(typeof(IReadOnlyList<AffiliateTagInfo>))]
[JsonSerializable(typeof(AffiliateCount))]
[JsonSerializable(typeof(AuditLogRequest))]
[JsonSerializable(typeof(IReadOnlyList<AuditRecord>))]
[JsonSerializable(typeof(SecondFactorRequest))]
[JsonSerializable(typeof(ApiKeyRequest))]
[JsonSerializable(typeof(NewApiKey))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(TwoFactorRequest))]
[JsonSerializable(typeof(TwoFactorEnrolment))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;

/// <summary>Serializer settings shared by the codec and every transport.</summary>
public static class GatewayJson
{
    /// <summary>
    /// Payload keys match case-insensitively and integer keys accept numeric strings (protocol.md 2.8);
    /// the relaxed encoder writes <c>\"</c> and leaves non-ASCII text as it is, as deployed gateways do.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new(GatewayJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The context bound to <see cref="Options"/>; use its typed properties to serialize.</summary>
    public static GatewayJsonContext Context { get; } = new(Options);
}
