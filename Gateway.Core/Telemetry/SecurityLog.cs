using Microsoft.Extensions.Logging;

namespace Gateway.Core.Telemetry;

// Every security event is one Warn line under the category Gateway.Security; each value a client could have chosen
// reaches these methods through LogText.Clip, and no password, token, secret, signature or code is ever passed in.
internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Login refused for {UserName} from {RemoteAddress}: {Reason}")]
    public static partial void LoginFailed(ILogger logger, string userName, string remoteAddress, string reason);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning,
        Message = "Login refused for {UserName} from {RemoteAddress}: {Reason}; further throttled logins from this address are counted, not logged, for {QuietSeconds} s")]
    public static partial void LoginThrottled(ILogger logger, string userName, string remoteAddress, string reason, int quietSeconds);

    [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "User {UserName} ({UserId}) locked out by repeated failed logins, the last from {RemoteAddress}")]
    public static partial void LockedOut(ILogger logger, string userName, int userId, string remoteAddress);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "User {TargetUserName} ({TargetUserId}) unlocked by {UserName} from {RemoteAddress}")]
    public static partial void Unlocked(ILogger logger, string targetUserName, int targetUserId, string userName, string remoteAddress);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "Permission {Permission} granted to user {TargetUserId} by {UserName} from {RemoteAddress}")]
    public static partial void PermissionGranted(ILogger logger, string permission, int targetUserId, string userName, string remoteAddress);

    [LoggerMessage(EventId = 505, Level = LogLevel.Warning, Message = "Permission {Permission} revoked from user {TargetUserId} by {UserName} from {RemoteAddress}")]
    public static partial void PermissionRevoked(ILogger logger, string permission, int targetUserId, string userName, string remoteAddress);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "API key {ApiKey} added for user {TargetUserId} with {Permissions} by {UserName} from {RemoteAddress}")]
    public static partial void ApiKeyAdded(ILogger logger, string apiKey, int targetUserId, string permissions, string userName, string remoteAddress);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "API key {ApiKey} removed from user {TargetUserId} by {UserName} from {RemoteAddress}")]
    public static partial void ApiKeyRemoved(ILogger logger, string apiKey, int targetUserId, string userName, string remoteAddress);

    [LoggerMessage(EventId = 508, Level = LogLevel.Warning, Message = "Socket {ConnectionId} of {UserName} from {RemoteAddress} closed for abuse ({Abuse}): {Detail}")]
    public static partial void SocketClosedForAbuse(ILogger logger, string connectionId, string userName, string remoteAddress, string abuse, string detail);

    [LoggerMessage(EventId = 509, Level = LogLevel.Warning, Message = "User {TargetUserName} ({TargetUserId}) locked by {UserName} from {RemoteAddress}")]
    public static partial void LockedByOperator(ILogger logger, string targetUserName, int targetUserId, string userName, string remoteAddress);

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "registration: user {UserName} ({UserId}) registered from {RemoteAddress}")]
    public static partial void Registered(ILogger logger, string userName, int userId, string remoteAddress);

    [LoggerMessage(EventId = 511, Level = LogLevel.Warning, Message = "password reset requested for {UserName} from {RemoteAddress}")]
    public static partial void ResetRequested(ILogger logger, string userName, string remoteAddress);

    [LoggerMessage(EventId = 512, Level = LogLevel.Warning, Message = "password of user {UserName} ({UserId}) reset with a mailed code from {RemoteAddress}; its sessions have ended")]
    public static partial void PasswordReset(ILogger logger, string userName, int userId, string remoteAddress);
}
