using System.Collections.Concurrent;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Safety;

/// <summary>
/// protocol.md section 9 for every write, login and batch call the dispatcher runs: <c>DryRun</c> runs the call in a
/// <see cref="WriteUnit"/> that rolls back; <c>ClientRequestId</c> (or the <c>Idempotency-Key</c> header) runs it in a
/// unit that also stores its reply, so the reply commits with the writes; a repeat answers the stored reply, and one
/// arriving while the first runs waits for it. Authorization, the handler and failure mapping are the dispatcher's:
/// this only decides around them.
/// </summary>
public sealed partial class RequestSafety(DbWriter writer, ClientRequestStore store, ReplySeal seal, TimeProvider time,
    IOptions<GatewayOptions> options, ILogger<RequestSafety> logger)
{
    private readonly ConcurrentDictionary<(int UserId, string RequestId), InFlight> _inFlight = new();
    private readonly TimeSpan _retention = TimeSpan.FromHours(options.Value.Safety.ClientRequestIdHours);

    internal async ValueTask<CallOutcome> CallAsync(Dispatcher dispatcher, HandlerDescriptor handler, CallContext call, CancellationToken ct)
    {
        if (!SafetyEnvelope.TryRead(call.Payload.Span, out var envelope, out var problem))
            return await RefuseAsync(dispatcher, handler, call, envelope.DryRun, problem!, ct).ConfigureAwait(false);
        if (handler.Kind == CallKind.Login)
        {
            return envelope.DryRun
                ? await RefuseAsync(dispatcher, handler, call, dryRun: false, $"DryRun is not available for {handler.Name}", ct).ConfigureAwait(false)
                : await dispatcher.InvokeAsync(handler, call, ct).ConfigureAwait(false);
        }

        var requestId = envelope.RequestId;
        if (!call.IsBatchItem && call.Connection.IdempotencyKey is { Length: > 0 } header)
        {
            if (!SafetyEnvelope.IsValidRequestId(header))
                return await RefuseAsync(dispatcher, handler, call, envelope.DryRun, SafetyEnvelope.BadHeader, ct).ConfigureAwait(false);
            if (requestId is not null && requestId != header)
                return await RefuseAsync(dispatcher, handler, call, envelope.DryRun, SafetyEnvelope.HeaderConflict, ct).ConfigureAwait(false);
            requestId = header;
        }

        // Anonymous callers would share one namespace of ids: one could replay or block another's registration.
        if (requestId is not null && handler.Requires.IsPublic && call.Session is null)
            return await RefuseAsync(dispatcher, handler, call, envelope.DryRun, Failures.RequestIdNeedsSession, ct).ConfigureAwait(false);

        CallOutcome outcome;
        if (requestId is null && !envelope.DryRun)
            return await dispatcher.InvokeAsync(handler, call, ct).ConfigureAwait(false);
        if (requestId is null)
            outcome = await dispatcher.RunCallAsync(handler, call, (Safety: this, Handler: handler),
                static (s, call, ct) => s.Safety.DryRunAsync(s.Handler, call, ct), ct).ConfigureAwait(false);
        else
            outcome = await OnceAsync(dispatcher, handler, call, requestId, envelope.DryRun, ct).ConfigureAwait(false);
        return envelope.DryRun ? outcome with { Payload = DryRunMark.Add(outcome.Payload) } : outcome;
    }

    // The checks and the authorizer first; a refusal there (20 for a permission the caller lacks) is stored on its own.
    private async ValueTask<CallOutcome> OnceAsync(Dispatcher dispatcher, HandlerDescriptor handler, CallContext call, string requestId, bool dryRun, CancellationToken ct)
    {
        var state = new Once(this, handler, requestId, dryRun);
        var outcome = await dispatcher.RunCallAsync(handler, call, state,
            static (once, call, ct) => once.Safety.RunOnceAsync(once, call, ct), ct).ConfigureAwait(false);
        if (!state.Entered && !dryRun && call.Session is { } session && Storable(outcome))
        {
            var key = (session.UserId, requestId);
            var row = Row(handler.Name, seal.RequestHash(handler.Name, call.Payload.Span), outcome);
            await writer.WriteUnauditedAsync(tx => ClientRequestStore.SaveAsync(tx, key.UserId, key.requestId, row, Since()), ct).ConfigureAwait(false);
        }
        return outcome;
    }

    private async ValueTask<CallOutcome> RunOnceAsync(Once once, CallContext call, CancellationToken ct)
    {
        once.Entered = true;
        var key = (call.CallerId, once.RequestId);
        var hash = seal.RequestHash(once.Handler.Name, call.Payload.Span);
        if (once.DryRun)
        {
            // A dry run stores nothing: it answers a stored reply's repeat, or runs and rolls back.
            return await FindAsync(key, ct).ConfigureAwait(false) is { } stored
                ? Replay(stored, hash, once.RequestId)
                : await DryRunAsync(once.Handler, call, ct).ConfigureAwait(false);
        }
        // Inside a unit (an item of an atomic batch) nothing may wait for another call: the unit holds the writer.
        if (WriteUnit.Current is not null)
        {
            var nested = await RunAndStoreAsync(once.Handler, call, key, hash, ct).ConfigureAwait(false);
            return nested.Answer(this, hash, once.RequestId);
        }

        while (true)
        {
            var mine = new InFlight();
            var first = _inFlight.GetOrAdd(key, mine);
            if (first != mine)
            {
                if (await first.Done.Task.WaitAsync(ct).ConfigureAwait(false) is { } done)
                    return Replay(done, hash, once.RequestId);
                continue;
            }
            ClientRequestStore.StoredReply? kept = null;
            try
            {
                var result = await RunAndStoreAsync(once.Handler, call, key, hash, ct).ConfigureAwait(false);
                kept = result.Stored;
                if (result.Saved && options.Value.Safety.CrashAfterCommitOf == once.RequestId)
                    CrashNow(once.RequestId);
                return result.Answer(this, hash, once.RequestId);
            }
            finally
            {
                // Removed before the waiters are told, so a call arriving now finds the committed row instead.
                _inFlight.TryRemove(new KeyValuePair<(int, string), InFlight>(key, mine));
                mine.Done.TrySetResult(kept);
            }
        }
    }

    // The call and its stored reply in one unit: a refusal keeps no write but its reply; a reply stored first for the
    // id (a repeat, or a call that won a race) wins, and this call's writes are undone. There is no look-up before the
    // call: the one in its transaction decides, and costs a statement instead of a read on a pooled connection.
    private async Task<Result> RunAndStoreAsync(HandlerDescriptor handler, CallContext call, (int UserId, string RequestId) key, byte[] hash, CancellationToken ct)
    {
        return await writer.RunUnitAsync(rollBack: false, async unit =>
        {
            CallOutcome attempt;
            GatewayException? failure = null;
            try
            {
                attempt = new(await handler.InvokeAsync(call.Payload, call, ct).ConfigureAwait(false), ErrorCode.None);
            }
            catch (GatewayException e) when (Storable(e))
            {
                await unit.RollBackWritesAsync().ConfigureAwait(false);
                failure = e;
                attempt = Dispatcher.Outcome(e);
            }
            var row = Row(handler.Name, hash, attempt);
            if (await writer.WriteInUnitAsync(tx => ClientRequestStore.SaveAsync(tx, key.UserId, key.RequestId, row, Since()), ct).ConfigureAwait(false))
                return new Result(attempt, failure, row, Saved: true);
            await unit.RollBackWritesAsync().ConfigureAwait(false);
            var first = await writer.WriteInUnitAsync(tx => ClientRequestStore.FindAsync(tx, key.UserId, key.RequestId, Since()), ct).ConfigureAwait(false);
            return new Result(default, null, first, Saved: false);
        }, ct).ConfigureAwait(false);
    }

    private async ValueTask<CallOutcome> DryRunAsync(HandlerDescriptor handler, CallContext call, CancellationToken ct) =>
        await writer.RunUnitAsync(rollBack: true,
            async _ => new CallOutcome(await handler.InvokeAsync(call.Payload, call, ct).ConfigureAwait(false), ErrorCode.None), ct).ConfigureAwait(false);

    // Committed replies on a pooled connection; inside a unit, as its transaction sees them.
    private async Task<ClientRequestStore.StoredReply?> FindAsync((int UserId, string RequestId) key, CancellationToken ct) =>
        WriteUnit.Current is null
            ? await store.FindAsync(key.UserId, key.RequestId, Since(), ct).ConfigureAwait(false)
            : await writer.WriteUnauditedAsync(tx => ClientRequestStore.FindAsync(tx, key.UserId, key.RequestId, Since()), ct).ConfigureAwait(false);

    // The stored reply byte for byte for the same request; 101 for another request under the same id.
    private CallOutcome Replay(ClientRequestStore.StoredReply stored, byte[] hash, string requestId)
    {
        if (!stored.RequestHash.AsSpan().SequenceEqual(hash))
            throw new GatewayException(ErrorCode.OperationFailed, $"ClientRequestId '{requestId}' was already used for a different request");
        SafetyLog.Repeated(logger, stored.Function);
        return new CallOutcome(seal.Open(stored.Reply), (ErrorCode)stored.ErrorCode);
    }

    private static async ValueTask<CallOutcome> RefuseAsync(Dispatcher dispatcher, HandlerDescriptor handler, CallContext call, bool dryRun, string detail, CancellationToken ct)
    {
        var outcome = await dispatcher.RunCallAsync(handler, call, detail,
            static (detail, _, _) => ValueTask.FromException<CallOutcome>(new GatewayException(ErrorCode.InvalidRequest, detail)), ct).ConfigureAwait(false);
        return dryRun ? outcome with { Payload = DryRunMark.Add(outcome.Payload) } : outcome;
    }

    private ClientRequestStore.StoredReply Row(string function, byte[] hash, CallOutcome outcome) =>
        new(function, hash, (long)outcome.Code, seal.Seal(outcome.Payload), Timestamps.Iso(time.GetUtcNow()));

    private DateTimeOffset Since() => time.GetUtcNow() - _retention;

    // Refusals are kept (a repeat must not retry them); a fault (102) or a rate limit is not: the repeat runs.
    private static bool Storable(GatewayException e) =>
        e.Code is ErrorCode.NotAuthorized or ErrorCode.InvalidRequest or ErrorCode.OperationFailed or ErrorCode.ResourceNotFound
        && !e.Unauthenticated && e.Detail != Failures.RateLimited;

    private static bool Storable(CallOutcome outcome) =>
        outcome.Status == CallStatus.Answered
        && outcome.Code is ErrorCode.NotAuthorized or ErrorCode.InvalidRequest or ErrorCode.OperationFailed or ErrorCode.ResourceNotFound
        && !outcome.Payload.AsSpan().SequenceEqual(Failures.RateLimitedPayload);

    private void CrashNow(string requestId)
    {
        SafetyLog.CrashHook(logger, requestId);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        self.Kill();
    }

    private sealed class InFlight
    {
        public TaskCompletionSource<ClientRequestStore.StoredReply?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Once(RequestSafety safety, HandlerDescriptor handler, string requestId, bool dryRun)
    {
        public RequestSafety Safety => safety;
        public HandlerDescriptor Handler => handler;
        public string RequestId => requestId;
        public bool DryRun => dryRun;
        public bool Entered { get; set; }
    }

    // What one run gave: the call's own outcome and failure, or the reply found stored for its id.
    private sealed record Result(CallOutcome Outcome, GatewayException? Failure, ClientRequestStore.StoredReply? Stored, bool Saved)
    {
        public CallOutcome Answer(RequestSafety safety, byte[] hash, string requestId)
        {
            if (!Saved)
                return safety.Replay(Stored!, hash, requestId);
            // Thrown for the dispatcher to map, as it mapped the reply that was stored.
            if (Failure is not null)
                throw Failure;
            return Outcome;
        }
    }
}
