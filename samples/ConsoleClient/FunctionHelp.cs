using System.Collections.Frozen;

namespace ConsoleClient;

/// <summary>The request keys of each call, as the gateway's calls.md lists them, for <c>help &lt;Function&gt;</c>.</summary>
internal static class FunctionHelp
{
    private static readonly FrozenDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["Ping"] = "{}  ->  {\"msg\":\"PONG\"}",
        ["HealthCheck"] = "{}  ->  uptime, sockets and database status",
        ["AuthenticateUser"] = "{\"UserName\",\"Password\"} or {\"APIKey\",\"Signature\",\"UserId\",\"Nonce\"}",
        ["WebAuthenticateUser"] = "{\"UserName\",\"Password\"} or {\"SessionToken\"}",
        ["Authenticate2FA"] = "{\"Code\"}  after a login that answered Requires2FA:true",
        ["LogOut"] = "{}",
        ["CreateUser"] = "{\"UserInfo\":{\"UserName\",\"Email\",\"Password\",...},\"AffiliateTag\"?}  ->  UserId",
        ["RegisterNewUser"] = "{\"UserInfo\":{\"UserName\",\"Email\",\"passwordHash\"},\"UserConfig\"?:[{\"Key\",\"Value\"}],\"AffiliateTag\"?}  ->  UserId (public; off unless Gateway:Registration:Enabled)",
        ["RegisterUser"] = "{\"UserInfo\":{\"UserName\",\"Email\",\"passwordHash\"},...}  the same as RegisterNewUser",
        ["ResetPassword"] = "{\"UserName\"}  (public) ->  always success; the user is mailed a link with a code",
        ["ResetPassword2"] = "{\"UserId\",\"Password\",\"PendingCode\"}  (public) the code from the mail; ends every session of the user",
        ["GetUserInfo"] = "{\"UserId\"} or {\"UserName\"}; {} = yourself",
        ["SetUserInfo"] = "{\"UserId\", fields to change}",
        ["UnLockUser"] = "{\"UserId\"}",
        ["GetUsers"] = "{\"StartIndex\":0,\"Limit\":100,\"Search\"?,\"Locked\"?,\"EmailVerified\"?,\"Active\"?,\"RefererId\"?,\"Permission\"?,\"CreatedFrom\"?,\"CreatedTo\"?}  ->  users by UserId (Operator)",
        ["GetUserConfig"] = "{\"UserId\"} or {\"UserName\"}; {} = yourself  ->  [{\"Key\",\"Value\"}]",
        ["SetUserConfig"] = "{\"UserId\" or \"UserName\" (none = yourself),\"Config\":[{\"Key\":\"Language\",\"Value\":\"en\"}]}",
        ["RemoveUserConfig"] = "{\"UserId\" or \"UserName\" (none = yourself),\"Key\"}",
        ["GetAccountConfig"] = "{\"AccountId\"} or {\"AccountHandle\"}  ->  [{\"Key\",\"Value\"}]",
        ["SetAccountConfig"] = "{\"AccountId\" or \"AccountHandle\",\"Config\":{\"Key\",\"Value\"} or [{\"Key\",\"Value\"}, ...]}",
        ["RemoveAccountConfig"] = "{\"AccountId\" or \"AccountHandle\",\"Key\"}",
        ["GetAvailablePermissionList"] = "{}",
        ["GetUserPermissions"] = "{\"UserId\"}",
        ["AddUserPermission"] = "{\"UserId\",\"Permission\",\"Value\":1}  (Value 0 revokes)",
        ["RevokeUserPermission"] = "{\"UserId\",\"Permission\"}",
        ["AddAccount"] = "{\"AccountName\",\"AccountHandle\",\"AccountType\",\"RiskType\",...}  ->  {\"Success\",\"Id\",\"RejectMessage\"}",
        ["GetAccountInfo"] = "{\"AccountId\"}",
        ["GetAccounts"] = "{\"StartIndex\":0,\"Limit\":100,\"RequestedKeys\"?:[\"FirmId\",\"FirmName\"],\"Search\"?}  ->  accounts by AccountId (Operator)",
        ["UpdateAccount"] = "{\"AccountId\", fields to change: AccountName, AccountHandle, AccountType, RiskType, VerificationLevel, ParentID, ...}",
        ["GetUserAccounts"] = "{\"UserId\"} or {\"UserName\"}; {} = yourself",
        ["GetUserAccountInfos"] = "{\"UserId\"} or {\"UserName\"}; {} = yourself",
        ["GetAccountUsers"] = "{\"AccountId\"}",
        ["AddUserAccount"] = "{\"accountId\" or \"accountHandle\", \"userId\" or \"userName\"}",
        ["RemoveUserAccount"] = "{\"accountId\" or \"accountHandle\", \"userId\" or \"userName\"}",
        ["AddUserAffiliateTag"] = "{\"userId\",\"affiliateTag\"}",
        ["GetUserAffiliateTag"] = "{\"userId\"}",
        ["UpdateUserAffiliateTag"] = "{\"userId\",\"affiliateTag\"}",
        ["RemoveUserAffiliateTag"] = "{\"userId\",\"affiliateTag\"}",
        ["GetUserAffiliateCount"] = "{\"userId\"}",
        ["GetUserAffiliates"] = "{\"UserId\"} or {\"UserName\"}, \"StartIndex\"?, \"Limit\"? (1000)  ->  the users it referred",
        ["GetRecentAffiliateRegistrations"] = "{\"UserId\"} or {\"Tag\"}, \"StartDate\"?, \"EndDate\"? (the last 30 days)  ->  the users it referred then",
        ["AddUserAPIKey"] = "{\"UserId\",\"Permissions\":[\"Trading\"]}  ->  APIKey and APISecret (shown once)",
        ["GetUserAPIKeys"] = "{\"UserId\"}",
        ["RemoveUserAPIKey"] = "{\"UserId\",\"APIKey\"}",
        ["EnableGoogle2FA"] = "{\"UserId\"}  ->  {\"ManualCode\",\"OtpAuthUri\"}",
        ["Disable2FA"] = "{\"UserId\"}",
        ["Batch"] = "{\"Calls\":[{\"n\":\"<Function>\",\"o\":{...}}, ...],\"Atomic\":false}  (1 to 100 calls; Atomic: all or nothing)",
        ["GetAuditLog"] = "{\"UserId\"?,\"TargetUserId\"?,\"AccountId\"?,\"Function\"?,\"FromTime\"?,\"ToTime\"?,\"FromId\"?,\"StartIndex\":0,\"Limit\":100}",
        ["VerifyAuditLog"] = "{}  ->  Rows, LastId and Head, or 101 naming the first edited row",
        ["SubscribeUserEvents"] = "{\"UserId\"?,\"FromSequence\"?}  ->  Sequence; then m=3 events (use the watch command to print them)",
        ["UnsubscribeUserEvents"] = "{\"UserId\"?}",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> Functions => Keys.Keys;

    public static string Describe(string function) =>
        Keys.TryGetValue(function, out var keys) ? $"{function} {keys}" : $"{function}: no help; the gateway answers errorcode 106 if it does not know it";
}
