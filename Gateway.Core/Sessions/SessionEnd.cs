using System.Text;
using Gateway.Core.Storage;

namespace Gateway.Core.Sessions;

/// <summary>
/// Why a session ended: <see cref="Reason"/> is the <c>SessionEndedEvent</c>'s (protocol.md section 10) and
/// <see cref="CloseText"/> the reason its sockets are closed with (1008).
/// </summary>
/// <param name="Reason">LogOut, Expired, KeyRemoved, Deactivated, Locked or PasswordReset.</param>
/// <param name="CloseText">The close frame's reason text.</param>
public sealed record SessionEnd(string Reason, string CloseText)
{
    /// <summary>The audit record's function for a session the gateway ended itself (not by LogOut).</summary>
    public const string AuditFunction = "SessionEnded";

    /// <summary>The client logged out.</summary>
    public static readonly SessionEnd LogOut = new("LogOut", "Logged out");

    /// <summary>Idle longer than the session timeout.</summary>
    public static readonly SessionEnd Expired = new("Expired", "Session expired");

    /// <summary>The API key the session was opened with was removed.</summary>
    public static readonly SessionEnd KeyRemoved = new("KeyRemoved", "API key removed");

    /// <summary>The user was deactivated.</summary>
    public static readonly SessionEnd Deactivated = new("Deactivated", "User deactivated");

    /// <summary>The user was locked by an operator.</summary>
    public static readonly SessionEnd Locked = new("Locked", "User locked by an operator");

    /// <summary>The user's password was reset.</summary>
    public static readonly SessionEnd PasswordReset = new("PasswordReset", "Password reset");

    private string State => $"{{\"Reason\":\"{Reason}\"}}";

    /// <summary>The audit record of such an end: no actor (the gateway), the reason as payload.</summary>
    internal AuditEntry Audit() => new(0, null, AuditFunction, Encoding.UTF8.GetBytes(State));

    /// <summary>The record's target, the session's user, and its After, <c>{"Reason":...}</c>.</summary>
    internal AuditSubject Subject(int userId) => new(userId, null, _ => Task.FromResult<string?>(State));
}
