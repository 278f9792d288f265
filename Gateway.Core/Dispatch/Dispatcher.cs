using Gateway.Core.Protocol;
using Gateway.Core.Telemetry;
using Gateway.Core.Safety;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Dispatch;

/// <summary>
/// The only way into a call, on every transport: looks up the function, checks the payload's strings, asks the one
/// authorizer who may call it, runs it, and turns every failure into what <see cref="Failures"/> says a client sees.
/// The only place besides the socket loop with a catch-all.
/// </summary>
public sealed class Dispatcher(HandlerRegistry registry, ICallAuthorizer authorizer, TimeProvider time, IOptions<GatewayOptions> options,
    GatewayMetrics metrics, ILogger<Dispatcher> logger, RequestSafety? safety = null)
{
    /// <summary>The handler table this dispatcher serves.</summary>
    public HandlerRegistry Registry => registry;

    /// <summary>Runs a request frame and writes the one reply frame for it (m=1, or m=5 for an unknown function) to <paramref name="output"/>.</summary>
    public async ValueTask DispatchAsync(Frame frame, IConnection connection, PooledBufferWriter output, CancellationToken ct)
    {
        var outcome = await CallAsync(frame.Function, frame.Payload, connection, frame.Sequence, ct).ConfigureAwait(false);
        if (outcome.Status == CallStatus.UnknownFunction)
            FrameWriter.Write(output, MessageType.Error, frame.Sequence, Failures.EchoedName(frame.Function), outcome.Payload);
        else
            FrameWriter.Write(output, MessageType.Reply, frame.Sequence, frame.Function, outcome.Payload);
    }

    /// <summary>Runs the function named <paramref name="function"/> (any casing) with <paramref name="payload"/> for the caller on <paramref name="connection"/>.</summary>
    /// <param name="function">The function name as the client sent it.</param>
    /// <param name="payload">The request payload, UTF-8 JSON.</param>
    /// <param name="connection">The transport, with its session if it has one.</param>
    /// <param name="sequence">The frame's <c>i</c>, for logs (0 over HTTP).</param>
    /// <param name="ct">Cancelled when the transport closes.</param>
    public ValueTask<CallOutcome> CallAsync(string function, ReadOnlyMemory<byte> payload, IConnection connection, long sequence, CancellationToken ct) =>
        CallAsync(function, payload, connection, sequence, batchItem: false, ct);

    /// <summary>Runs one item of a Batch made by <paramref name="batch"/>: the same path as any call, on the Batch's transport and session.</summary>
    internal ValueTask<CallOutcome> CallItemAsync(string function, ReadOnlyMemory<byte> payload, CallContext batch, CancellationToken ct) =>
        CallAsync(function, payload, batch.Connection, batch.Sequence, batchItem: true, ct);

    private async ValueTask<CallOutcome> CallAsync(string function, ReadOnlyMemory<byte> payload, IConnection connection, long sequence, bool batchItem, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(connection);
        if (!registry.TryGet(function, out var handler))
        {
            var detail = Failures.UnknownFunction(function);
            DispatchLog.CallFailed(logger, function, sequence, connection.Id, (int)ErrorCode.OperationNotSupported, detail);
            metrics.CallAnswered(GatewayMetrics.UnknownFunction, ErrorCode.OperationNotSupported, connection.Transport, TimeSpan.Zero);
            return new(Failures.Payload(ErrorCode.OperationNotSupported, detail), ErrorCode.OperationNotSupported, CallStatus.UnknownFunction);
        }

        var call = new CallContext { Connection = connection, Function = handler.Name, Sequence = sequence, Payload = payload, IsBatchItem = batchItem };
        // Write and batch calls take ClientRequestId and DryRun (protocol.md section 9); safety runs them through RunCallAsync.
        return safety is null || handler.Kind is CallKind.Read
            ? await InvokeAsync(handler, call, ct).ConfigureAwait(false)
            : await safety.CallAsync(this, handler, call, ct).ConfigureAwait(false);
    }

    /// <summary>Runs the handler as the call (checks, authorizer, handler) and answers its reply or mapped failure.</summary>
    internal async ValueTask<CallOutcome> InvokeAsync(HandlerDescriptor handler, CallContext call, CancellationToken ct)
    {
        var result = await RunAsync(handler, call, handler,
            static (handler, call, ct) => handler.InvokeAsync(call.Payload, call, ct), ct).ConfigureAwait(false);
        return result.Failure is { } failure ? Outcome(failure) : new(result.Value!, ErrorCode.None);
    }

    /// <summary>Runs <paramref name="work"/> in place of the handler, after the same checks and authorizer, with the same failure mapping.</summary>
    internal async ValueTask<CallOutcome> RunCallAsync<TState>(HandlerDescriptor handler, CallContext call, TState state,
        Func<TState, CallContext, CancellationToken, ValueTask<CallOutcome>> work, CancellationToken ct)
    {
        var result = await RunAsync(handler, call, state, work, ct).ConfigureAwait(false);
        return result.Failure is { } failure ? Outcome(failure) : result.Value;
    }

    /// <summary>What a client sees for <paramref name="failure"/>: the standard failure response, 401 over HTTP without a session.</summary>
    internal static CallOutcome Outcome(GatewayException failure) =>
        new(Failures.Payload(failure.Code, failure.Detail), failure.Code, failure.Unauthenticated ? CallStatus.NotLoggedIn : CallStatus.Answered);

    /// <summary>
    /// Runs <paramref name="work"/> as the call <paramref name="target"/>: the payload's strings are checked, the
    /// authorizer decides, and any failure comes back as the <see cref="GatewayException"/> a client is shown (a fault
    /// of any kind as errorcode 102 with <see cref="Failures.ServerFault"/>, logged in full). HTTP resources that are
    /// not functions of the handler table come in here too.
    /// </summary>
    public async ValueTask<CallResult<T>> RunAsync<TState, T>(CallDescriptor target, CallContext call, TState state,
        Func<TState, CallContext, CancellationToken, ValueTask<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(work);
        var started = time.GetTimestamp();
        CallResult<T> result;
        try
        {
            // Before anything else, so an over-long value is refused the same way for every caller and nothing is written.
            if (PayloadValidator.CheckStrings(call.Payload.Span, options.Value.Limits.MaxStringLength, options.Value.Limits.ConfigValueChars) is { } tooLong)
                throw new GatewayException(ErrorCode.InvalidRequest, tooLong);
            await authorizer.AuthorizeAsync(target, call, ct).ConfigureAwait(false);
            result = new(await work(state, call, ct).ConfigureAwait(false), null);
        }
        catch (GatewayException e)
        {
            DispatchLog.CallFailed(logger, call.Function, call.Sequence, call.Connection.Id, (int)e.Code, e.Detail);
            result = new(default, e);
        }
#pragma warning disable CA1031 // A fault of any kind must become one errorcode-102 reply, never a dropped request.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatchLog.CallFaulted(logger, e, call.Function, call.Sequence, call.Connection.Id);
            result = new(default, new GatewayException(ErrorCode.ServerError, Failures.ServerFault));
        }

        var elapsed = metrics.TimesCalls || logger.IsEnabled(LogLevel.Debug) ? time.GetElapsedTime(started) : TimeSpan.Zero;
        metrics.CallAnswered(call.Function, result.Failure?.Code ?? ErrorCode.None, call.Connection.Transport, elapsed);
        if (logger.IsEnabled(LogLevel.Debug))
            DispatchLog.CallCompleted(logger, call.Function, call.Sequence, call.Connection.Id, elapsed.TotalMilliseconds, (int)(result.Failure?.Code ?? ErrorCode.None));
        return result;
    }
}
