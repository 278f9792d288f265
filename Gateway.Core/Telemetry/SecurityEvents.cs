using System.Collections.Concurrent;
using Gateway.Core.Dispatch;
using Gateway.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Gateway.Core.Telemetry;

/// <summary>
/// The security events of operations.md section 3: each is one Warn line under the logger <see cref="Category"/>
/// with the user name (clipped) and the remote address, and failed logins are counted by reason. No password, token,
/// secret, signature or 2FA code is ever given to it.
/// </summary>
public sealed class SecurityEvents(GatewayMetrics metrics, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>The logger category of every security line, so a rule can route them elsewhere.</summary>
    public const string Category = "Gateway.Security";

    /// <summary>The user name logged when the attempt named no user.</summary>
    public const string NoUser = "(none)";

    // A throttled address may keep trying as fast as its socket allows: one line per address per window says so,
    // the metric counts every attempt, and the log does not grow with the attacker's rate.
    private static readonly TimeSpan ThrottledQuiet = TimeSpan.FromMinutes(1);
    private const int ForgetThrottledAbove = 4096;

    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _throttledLogged = new(StringComparer.Ordinal);

    /// <summary>A login refused for <paramref name="reason"/>; <paramref name="userName"/> as the client sent it, or the user's name.</summary>
    public void LoginFailed(LoginFailure reason, string? userName, IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        metrics.LoginFailed(reason);
        if (reason == LoginFailure.Throttled)
        {
            metrics.RateLimitRefused(RateLimit.Login);
            if (ShouldLogThrottled(connection.RemoteAddress))
                SecurityLog.LoginThrottled(_logger, Name(userName), connection.RemoteAddress, reason.Tag(), (int)ThrottledQuiet.TotalSeconds);
            return;
        }
        SecurityLog.LoginFailed(_logger, Name(userName), connection.RemoteAddress, reason.Tag());
    }

    /// <summary>The failed login just recorded locked <paramref name="userName"/> out.</summary>
    public void LockedOut(string userName, int userId, IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SecurityLog.LockedOut(_logger, Name(userName), userId, connection.RemoteAddress);
    }

    /// <summary>An operator unlocked the user.</summary>
    public void Unlocked(string? targetUserName, int targetUserId, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        SecurityLog.Unlocked(_logger, Name(targetUserName), targetUserId, Caller(call), call.Connection.RemoteAddress);
    }

    /// <summary>An operator locked the user (SetUserInfo with Locked:true).</summary>
    public void LockedByOperator(string? targetUserName, int targetUserId, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        SecurityLog.LockedByOperator(_logger, Name(targetUserName), targetUserId, Caller(call), call.Connection.RemoteAddress);
    }

    /// <summary>A permission was granted (<paramref name="granted"/>) or revoked.</summary>
    public void PermissionChanged(bool granted, string permission, int targetUserId, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (granted)
            SecurityLog.PermissionGranted(_logger, permission, targetUserId, Caller(call), call.Connection.RemoteAddress);
        else
            SecurityLog.PermissionRevoked(_logger, permission, targetUserId, Caller(call), call.Connection.RemoteAddress);
    }

    /// <summary>An API key was added; the key id is logged, never its secret.</summary>
    public void ApiKeyAdded(string apiKey, int targetUserId, IEnumerable<string> permissions, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        SecurityLog.ApiKeyAdded(_logger, apiKey, targetUserId, string.Join(",", permissions), Caller(call), call.Connection.RemoteAddress);
    }

    /// <summary>An API key was removed.</summary>
    public void ApiKeyRemoved(string apiKey, int targetUserId, CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        SecurityLog.ApiKeyRemoved(_logger, LogText.Clip(apiKey)!, targetUserId, Caller(call), call.Connection.RemoteAddress);
    }

    /// <summary>The gateway closed a socket for <paramref name="abuse"/>; <paramref name="detail"/> is the close reason it sent.</summary>
    public void SocketClosedForAbuse(SocketAbuse abuse, IConnection connection, string detail)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var name = abuse switch
        {
            SocketAbuse.Rate => "rate",
            SocketAbuse.Size => "size",
            _ => "stall",
        };
        SecurityLog.SocketClosedForAbuse(_logger, connection.Id, Name(connection.Session?.UserName), connection.RemoteAddress, name, detail);
    }

    /// <summary>A user registered itself (RegisterNewUser).</summary>
    public void Registered(string userName, int userId, IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SecurityLog.Registered(_logger, Name(userName), userId, connection.RemoteAddress);
    }

    /// <summary>A password reset was requested for <paramref name="requestedName"/>, which may name no one (the line does not say).</summary>
    public void ResetRequested(string requestedName, IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SecurityLog.ResetRequested(_logger, Name(requestedName), connection.RemoteAddress);
    }

    /// <summary>A password was reset with a mailed code; never given the code or the password.</summary>
    public void PasswordReset(string userName, int userId, IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        SecurityLog.PasswordReset(_logger, Name(userName), userId, connection.RemoteAddress);
    }

    private static string Name(string? userName) => string.IsNullOrEmpty(userName) ? NoUser : LogText.Clip(userName)!;

    private static string Caller(CallContext call) => Name(call.Session?.UserName);

    private bool ShouldLogThrottled(string address)
    {
        var now = time.GetUtcNow();
        if (_throttledLogged.Count > ForgetThrottledAbove)
        {
            foreach (var (key, at) in _throttledLogged)
                if (now - at >= ThrottledQuiet)
                    _throttledLogged.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, at));
        }
        while (true)
        {
            if (!_throttledLogged.TryGetValue(address, out var last))
            {
                if (_throttledLogged.TryAdd(address, now))
                    return true;
            }
            else if (now - last < ThrottledQuiet)
                return false;
            else if (_throttledLogged.TryUpdate(address, now, last))
                return true;
        }
    }
}
