using Gateway.Core.Dispatch;
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

/// <summary>Every call the gateway answers, in one list. Open this file to find a call.</summary>
public static class HandlerCatalog
{
    /// <summary>A builder holding every product handler; the host may add more before freezing it.</summary>
    public static HandlerRegistryBuilder Create()
    {
        var json = HandlerJson.Context;
        return new HandlerRegistryBuilder()
            // Service
            .Add<PingHandler, EmptyRequest, PingResponse>(json.EmptyRequest, json.PingResponse)
            .Add<HealthCheckHandler, EmptyRequest, HealthReport>(json.EmptyRequest, json.HealthReport)
            // Sessions
            .Add<AuthenticateUserHandler, LoginRequest, AuthenticateUserReply>(json.LoginRequest, json.AuthenticateUserReply)
            .Add<WebAuthenticateUserHandler, LoginRequest, WebAuthenticateUserReply>(json.LoginRequest, json.WebAuthenticateUserReply)
            .Add<Authenticate2FAHandler, SecondFactorRequest, WebAuthenticateUserReply>(json.SecondFactorRequest, json.WebAuthenticateUserReply)
            .Add<LogOutHandler, EmptyRequest, StandardResponse>(json.EmptyRequest, json.StandardResponse)
            // Users
            .Add<CreateUserHandler, CreateUserRequest, CreateUserResponse>(json.CreateUserRequest, json.CreateUserResponse)
            .Add<GetUserInfoHandler, UserRequest, UserInfo>(json.UserRequest, json.UserInfo)
            .Add<SetUserInfoHandler, SetUserInfoRequest, UserInfo>(json.SetUserInfoRequest, json.UserInfo)
            .Add<UnLockUserHandler, UserRequest, StandardResponse>(json.UserRequest, json.StandardResponse)
            .Add<GetUsersHandler, GetUsersRequest, IReadOnlyList<UserInfo>>(json.GetUsersRequest, json.IReadOnlyListUserInfo)
            // User and account config (calls-next.md)
            .Add<GetUserConfigHandler, UserConfigRequest, IReadOnlyList<ConfigEntry>>(json.UserConfigRequest, json.IReadOnlyListConfigEntry)
            .Add<SetUserConfigHandler, UserConfigRequest, StandardResponse>(json.UserConfigRequest, json.StandardResponse)
            .Add<RemoveUserConfigHandler, UserConfigRequest, StandardResponse>(json.UserConfigRequest, json.StandardResponse)
            .Add<GetAccountConfigHandler, AccountConfigRequest, IReadOnlyList<ConfigEntry>>(json.AccountConfigRequest, json.IReadOnlyListConfigEntry)
            .Add<SetAccountConfigHandler, AccountConfigRequest, StandardResponse>(json.AccountConfigRequest, json.StandardResponse)
            .Add<RemoveAccountConfigHandler, AccountConfigRequest, StandardResponse>(json.AccountConfigRequest, json.StandardResponse)
            // Self-registration and password reset (public)
            .Add<RegisterNewUserHandler, RegisterNewUserRequest, CreateUserResponse>(json.RegisterNewUserRequest, json.CreateUserResponse)
            .Add<RegisterUserHandler, RegisterNewUserRequest, CreateUserResponse>(json.RegisterNewUserRequest, json.CreateUserResponse)
            .Add<ResetPasswordHandler, ResetPasswordRequest, StandardResponse>(json.ResetPasswordRequest, json.StandardResponse)
            .Add<ResetPassword2Handler, ResetPassword2Request, StandardResponse>(json.ResetPassword2Request, json.StandardResponse)
            // Permissions
            .Add<GetAvailablePermissionListHandler, EmptyRequest, IReadOnlyList<string>>(json.EmptyRequest, json.IReadOnlyListString)
            .Add<GetUserPermissionsHandler, UserRequest, ReadOnlyMemory<string>>(json.UserRequest, json.ReadOnlyMemoryString)
            .Add<AddUserPermissionHandler, PermissionRequest, StandardResponse>(json.PermissionRequest, json.StandardResponse)
            .Add<RevokeUserPermissionHandler, PermissionRequest, StandardResponse>(json.PermissionRequest, json.StandardResponse)
            // Accounts and user-account links
            .Add<AddAccountHandler, AddAccountRequest, AddAccountResponse>(json.AddAccountRequest, json.AddAccountResponse)
            .Add<GetAccountInfoHandler, AccountRequest, AccountInfo>(json.AccountRequest, json.AccountInfo)
            .Add<GetAccountsHandler, GetAccountsRequest, IReadOnlyList<AccountInfo>>(json.GetAccountsRequest, json.IReadOnlyListAccountInfo)
            .Add<UpdateAccountHandler, UpdateAccountRequest, StandardResponse>(json.UpdateAccountRequest, json.StandardResponse)
            .Add<GetUserAccountsHandler, UserRequest, ReadOnlyMemory<int>>(json.UserRequest, json.ReadOnlyMemoryInt32)
            .Add<GetUserAccountInfosHandler, UserRequest, IReadOnlyList<AccountInfo>>(json.UserRequest, json.IReadOnlyListAccountInfo)
            .Add<GetAccountUsersHandler, AccountRequest, IReadOnlyList<AccountUser>>(json.AccountRequest, json.IReadOnlyListAccountUser)
            .Add<AddUserAccountHandler, UserAccountRequest, StandardResponse>(json.UserAccountRequest, json.StandardResponse)
            .Add<RemoveUserAccountHandler, UserAccountRequest, StandardResponse>(json.UserAccountRequest, json.StandardResponse)
            // Affiliate tags
            .Add<AddUserAffiliateTagHandler, AffiliateTagRequest, StandardResponse>(json.AffiliateTagRequest, json.StandardResponse)
            .Add<GetUserAffiliateTagHandler, AffiliateTagRequest, IReadOnlyList<AffiliateTagInfo>>(json.AffiliateTagRequest, json.IReadOnlyListAffiliateTagInfo)
            .Add<UpdateUserAffiliateTagHandler, AffiliateTagRequest, StandardResponse>(json.AffiliateTagRequest, json.StandardResponse)
            .Add<RemoveUserAffiliateTagHandler, AffiliateTagRequest, StandardResponse>(json.AffiliateTagRequest, json.StandardResponse)
            .Add<GetUserAffiliateCountHandler, AffiliateTagRequest, AffiliateCount>(json.AffiliateTagRequest, json.AffiliateCount)
            .Add<GetUserAffiliatesHandler, AffiliateListRequest, IReadOnlyList<UserInfo>>(json.AffiliateListRequest, json.IReadOnlyListUserInfo)
            .Add<GetRecentAffiliateRegistrationsHandler, AffiliateListRequest, IReadOnlyList<UserInfo>>(json.AffiliateListRequest, json.IReadOnlyListUserInfo)
            // API keys and two-factor login
            .Add<AddUserAPIKeyHandler, ApiKeyRequest, NewApiKey>(json.ApiKeyRequest, json.NewApiKey)
            .Add<GetUserAPIKeysHandler, ApiKeyRequest, IReadOnlyList<ApiKeyInfo>>(json.ApiKeyRequest, json.IReadOnlyListApiKeyInfo)
            .Add<RemoveUserAPIKeyHandler, ApiKeyRequest, StandardResponse>(json.ApiKeyRequest, json.StandardResponse)
            .Add<EnableGoogle2FAHandler, TwoFactorRequest, TwoFactorEnrolment>(json.TwoFactorRequest, json.TwoFactorEnrolment)
            .Add<Disable2FAHandler, TwoFactorRequest, StandardResponse>(json.TwoFactorRequest, json.StandardResponse)
            // Audit
            .Add<GetAuditLogHandler, AuditLogRequest, IReadOnlyList<AuditRecord>>(json.AuditLogRequest, json.IReadOnlyListAuditRecord)
            .Add<VerifyAuditLogHandler, EmptyRequest, AuditLogVerified>(json.EmptyRequest, json.AuditLogVerified)
            // Operator safety (protocol.md section 9): many calls in one frame
            .Add<BatchHandler, BatchRequest, BatchReply>(json.BatchRequest, json.BatchReply)
            // Events (protocol.md section 10): m=2 subscribe, m=3 events, m=4 unsubscribe
            .Add<SubscribeUserEventsHandler, UserEventsRequest, SubscribeReply>(json.UserEventsRequest, json.SubscribeReply)
            .Add<UnsubscribeUserEventsHandler, UserEventsRequest, StandardResponse>(json.UserEventsRequest, json.StandardResponse);
    }
}
