namespace Gateway.Core.Dispatch;

/// <summary>The session and permission check the dispatcher runs before every call, on every transport.</summary>
public interface ICallAuthorizer
{
    /// <summary>Returns when the call may run; throws a <see cref="Protocol.GatewayException"/> (errorcode 20) when not.</summary>
    ValueTask AuthorizeAsync(CallDescriptor target, CallContext call, CancellationToken ct);
}
