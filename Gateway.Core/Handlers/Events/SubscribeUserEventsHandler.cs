using Gateway.Core.Dispatch;
using Gateway.Core.Events;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Events;

/// <summary>
/// SubscribeUserEvents (protocol.md section 10): the socket follows a user's changes (0: every user's, for an Operator),
/// after replaying from the log those after <c>FromSequence</c>. The stream opens before the log is read and drops
/// what the replay already holds, so nothing is missed or sent twice between the two.
/// </summary>
public sealed class SubscribeUserEventsHandler(UserLookup lookup, EventReplay replay) : IHandler<UserEventsRequest, SubscribeReply>
{
    /// <inheritdoc />
    public static string Name => "SubscribeUserEvents";

    /// <inheritdoc />
    public static Access Requires => Access.Session;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<SubscribeReply> HandleAsync(UserEventsRequest request, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        var subscriber = call.Connection.Subscriber ?? throw new GatewayException(ErrorCode.OperationNotSupported, $"{Name} is not available over HTTP");
        if (request.FromSequence is < 0)
            throw new GatewayException(ErrorCode.InvalidRequest, $"FromSequence must be 0 or more, not {request.FromSequence}");
        var userId = await UserEventsScope.ResolveAsync(request.UserId, call, lookup, ct).ConfigureAwait(false);

        var stream = subscriber.Open(userId, request.FromSequence, call.Sequence, userId == call.CallerId ? null : call.CallerId);
        try
        {
            var newest = await replay.NewestAsync(ct).ConfigureAwait(false);
            IReadOnlyList<UserEvent> missed = [];
            if (request.FromSequence is { } from && from < newest)
                missed = await replay.ReadAsync(userId, from, newest, ct).ConfigureAwait(false)
                    ?? throw new GatewayException(ErrorCode.OperationFailed, EventReplay.TooFarBehind);
            subscriber.Prepare(stream, missed, newest);
            return new SubscribeReply { Sequence = newest };
        }
        catch
        {
            subscriber.Cancel(stream);
            throw;
        }
    }
}
