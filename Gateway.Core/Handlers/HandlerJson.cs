using System.Text.Json.Serialization;
using Gateway.Core.Handlers.Accounts;
using Gateway.Core.Handlers.ApiKeys;
using Gateway.Core.Handlers.Affiliates;
using Gateway.Core.Handlers.PasswordReset;
using Gateway.Core.Handlers.Registration;
using Gateway.Core.Handlers.Audit;
using Gateway.Core.Handlers.Config;
using Gateway.Core.Handlers.Events;
using Gateway.Core.Handlers.Permissions;
using Gateway.Core.Handlers.Safety;
using Gateway.Core.Handlers.Service;
using Gateway.Core.Handlers.Sessions;
using Gateway.Core.Handlers.TwoFactor;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Health;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers;

/// <summary>The one source-generated serializer context for every request and reply the handlers of <see cref="HandlerCatalog"/> take and give.</summary>
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
[JsonSerializable(typeof(RegisterNewUserRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(ResetPassword2Request))]
[JsonSerializable(typeof(PermissionRequest))]
[JsonSerializable(typeof(IReadOnlyList<int>))]
// GetUserAccounts and GetUserPermissions answer the read cache's own arrays behind read-only views: written by index,
// where a list is written through a boxed enumerator.
[JsonSerializable(typeof(ReadOnlyMemory<int>))]
[JsonSerializable(typeof(ReadOnlyMemory<string>))]
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
[JsonSerializable(typeof(AuditLogVerified))]
[JsonSerializable(typeof(PermissionsState))]
[JsonSerializable(typeof(LinksState))]
[JsonSerializable(typeof(TagState))]
[JsonSerializable(typeof(ApiKeysState))]
[JsonSerializable(typeof(SecondFactorRequest))]
[JsonSerializable(typeof(ApiKeyRequest))]
[JsonSerializable(typeof(NewApiKey))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(TwoFactorRequest))]
[JsonSerializable(typeof(TwoFactorEnrolment))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchReply))]
[JsonSerializable(typeof(GetUsersRequest))]
[JsonSerializable(typeof(IReadOnlyList<UserInfo>))]
[JsonSerializable(typeof(UserConfigRequest))]
[JsonSerializable(typeof(AccountConfigRequest))]
[JsonSerializable(typeof(IReadOnlyList<ConfigEntry>))]
[JsonSerializable(typeof(UserConfigState))]
[JsonSerializable(typeof(AccountConfigState))]
[JsonSerializable(typeof(GetAccountsRequest))]
[JsonSerializable(typeof(UpdateAccountRequest))]
[JsonSerializable(typeof(AffiliateListRequest))]
[JsonSerializable(typeof(UserEventsRequest))]
[JsonSerializable(typeof(SubscribeReply))]
public sealed partial class HandlerJsonContext : JsonSerializerContext;

/// <summary>The handler payloads' serializer context, bound to the gateway's settings.</summary>
public static class HandlerJson
{
    /// <summary>The context bound to <see cref="GatewayJson.CreateOptions"/>; use its typed properties to serialize.</summary>
    public static HandlerJsonContext Context { get; } = new(GatewayJson.CreateOptions());
}
