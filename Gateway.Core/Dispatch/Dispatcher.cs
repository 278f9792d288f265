using Gateway.Core.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Dispatch;

/// <summary>
/// Runs calls: looks up the handler, checks who is calling, runs it, and decides what a client sees when it fails.
/// The only place besides the socket loop with a catch-all.
/// </summary>
public sealed class Dispatcher(HandlerRegistry registry, ICallAuthorizer authorizer, TimeProvider time, IOptions<GatewayOptions> options,
    ILogger<Dispatcher> logger)
{
    /// <summary>The detail of every errorcode 102: fixed, so no exception text, SQL or path reaches a client.</summary>
    public const string ServerFaultDetail = "The gateway hit an unexpected error and logged it; try again, and report it if it persists";

    /// <summary>The handler table this dispatcher serves.</summary>
    public HandlerRegistry Registry => registry;

    /// <summary>Runs a request frame and writes the one reply frame for it to <paramref name="output"/>.</summary>
    public async ValueTask DispatchAsync(Frame frame, IConnection connection, PooledBufferWriter output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(connection);
        if (!registry.TryGet(frame.Function, out var handler))
        {
            var detail = $"Endpoint Not Found: {frame.Function}";
            DispatchLog.CallFailed(logger, frame.Function, frame.Sequence, connection.Id, (int)ErrorCode.OperationNotSupported, detail);
            FrameWriter.WriteError(output, frame.Sequence, frame.Function, ErrorCode.OperationNotSupported, detail);
            return;
        }

        var call = new CallContext { Connection = connection, Function = handler.Name, Sequence = frame.Sequence, Payload = frame.Payload };
        var outcome = await InvokeAsync(handler, frame.Payload, call, ct).ConfigureAwait(false);
        FrameWriter.Write(output, MessageType.Reply, frame.Sequence, frame.Function, outcome.Payload);
    }

    /// <summary>Checks access, runs <paramref name="handler"/> and returns its payload or the standard failure.</summary>
    public async ValueTask<CallOutcome> InvokeAsync(HandlerDescriptor handler, ReadOnlyMemory<byte> payload, CallContext call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(call);
        var started = time.GetTimestamp();
        CallOutcome outcome;
        try
        {
            // Before anything else, so an over-long value is refused the same way for every caller and nothing is written.
            if (PayloadValidator.CheckStrings(payload.Span, options.Value.Limits.MaxStringLength) is { } tooLong)
                throw new GatewayException(ErrorCode.InvalidRequest, tooLong);
            await authorizer.AuthorizeAsync(handler, call, ct).ConfigureAwait(false);
            outcome = new CallOutcome(await handler.InvokeAsync(payload, call, ct).ConfigureAwait(false), ErrorCode.None);
        }
        catch (GatewayException e)
        {
            DispatchLog.CallFailed(logger, call.Function, call.Sequence, call.Connection.Id, (int)e.Code, e.Detail);
            outcome = Failure(e.Code, e.Detail);
        }
#pragma warning disable CA1031 // A handler fault of any kind must become one errorcode-102 reply, never a dropped request.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatchLog.CallFaulted(logger, e, call.Function, call.Sequence, call.Connection.Id);
            outcome = Failure(ErrorCode.ServerError, ServerFaultDetail);
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            var elapsedMs = time.GetElapsedTime(started).TotalMilliseconds;
            DispatchLog.CallCompleted(logger, call.Function, call.Sequence, call.Connection.Id, elapsedMs, (int)outcome.Code);
        }
        return outcome;
    }

    private static CallOutcome Failure(ErrorCode code, string detail) => new(
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(StandardResponse.Failure(code, detail), GatewayJson.Context.StandardResponse),
        code);
}
