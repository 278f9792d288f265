using Gateway.Core.Protocol;

namespace Gateway.Core.Dispatch;

/// <summary>The check for a gateway without sessions: public calls run, every other call is refused.</summary>
public sealed class PublicOnlyAuthorizer : ICallAuthorizer
{
    /// <inheritdoc />
    public ValueTask AuthorizeAsync(HandlerDescriptor handler, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return handler.Requires.IsPublic
            ? ValueTask.CompletedTask
            : ValueTask.FromException(new GatewayException(ErrorCode.NotAuthorized, "Not logged in"));
    }
}
