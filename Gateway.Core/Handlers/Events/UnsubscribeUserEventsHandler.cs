using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Events;

/// <summary>UnsubscribeUserEvents (protocol.md section 10): the socket stops following a user (absent: the caller; 0: every user).</summary>
public sealed class UnsubscribeUserEventsHandler : IHandler<UserEventsRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "UnsubscribeUserEvents";

    /// <inheritdoc />
    public static Access Requires => Access.Session;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public ValueTask<StandardResponse> HandleAsync(UserEventsRequest request, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        var subscriber = call.Connection.Subscriber ?? throw new GatewayException(ErrorCode.OperationNotSupported, $"{Name} is not available over HTTP");
        var userId = request.UserId ?? call.CallerId;
        if (!subscriber.Close(userId))
            throw new GatewayException(ErrorCode.ResourceNotFound, $"This socket has no subscription to {(userId == 0 ? "every user (UserId 0)" : $"UserId {userId}")}");
        return ValueTask.FromResult(StandardResponse.Ok);
    }
}
