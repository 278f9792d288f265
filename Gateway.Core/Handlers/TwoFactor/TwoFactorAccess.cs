using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.TwoFactor;

/// <summary>Who may change a user's second factor.</summary>
public static class TwoFactorAccess
{
    /// <summary>
    /// Refuses (20) a session opened with an API key unless it holds Operator: a key is a narrower credential than the
    /// password, and must not be able to remove or replace the factor that guards the password login.
    /// </summary>
    public static void EnsureMayChange(CallContext call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (call.Session?.ApiKey is not null && !call.IsOperator)
            throw new GatewayException(ErrorCode.NotAuthorized, $"{call.Function} needs a password session or Operator; an API key cannot change two-factor login");
    }
}
