using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Safety;
using Gateway.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.Safety;

/// <summary>
/// Batch (protocol.md 9.3): up to 100 calls in one frame, each run through the dispatcher as its own call with the
/// caller's session; with <c>Atomic</c> all in one transaction that the first failure rolls back. Each item takes a
/// token of the socket's rate limit.
/// </summary>
public sealed class BatchHandler(IServiceProvider services, DbWriter writer, IOptions<GatewayOptions> options) : IHandler<BatchRequest, BatchReply>
{
    /// <summary>The most items one Batch takes.</summary>
    public const int MaxCalls = 100;

    /// <inheritdoc />
    public static string Name => "Batch";

    /// <inheritdoc />
    public static Access Requires => Access.Session;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Batch;

    /// <inheritdoc />
    public async ValueTask<BatchReply> HandleAsync(BatchRequest request, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (request.Calls is not { Count: > 0 } calls)
            throw new GatewayException(ErrorCode.InvalidRequest, $"Batch needs Calls: a list of 1 to {MaxCalls} items {{\"n\":\"<Function>\",\"o\":{{...}}}}");
        if (calls.Count > MaxCalls)
            throw new GatewayException(ErrorCode.InvalidRequest, $"Batch takes at most {MaxCalls} calls, not {calls.Count}");
        // The frame took one token; each further item takes one more, all or none.
        if (!call.Connection.TryTakeRequests(calls.Count - 1))
            throw new GatewayException(ErrorCode.OperationFailed, Failures.RateLimited);

        // The dispatcher is resolved on first use: it is built from the handler table, which holds this handler.
        var run = new BatchRun(services.GetRequiredService<Dispatcher>(), writer, call, request.DryRun == true, options.Value.Limits.MaxPayloadDepth);
        return request.Atomic == true
            ? await run.AtomicAsync(calls, ct).ConfigureAwait(false)
            : await run.EachAsync(calls, ct).ConfigureAwait(false);
    }
}
