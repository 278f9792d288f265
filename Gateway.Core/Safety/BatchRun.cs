using System.Text;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Safety;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Safety;

/// <summary>
/// The items of one Batch, each sent through <see cref="Dispatcher"/> as a call of its own (the same checks, authorizer
/// and failure mapping as any frame), in order; atomically, in one <see cref="WriteUnit"/> the first failure rolls back.
/// </summary>
internal sealed class BatchRun(Dispatcher dispatcher, DbWriter writer, CallContext batch, bool dryRun, int maxDepth)
{
    /// <summary>Each item on its own: a failure does not stop the others.</summary>
    public async Task<BatchReply> EachAsync(IReadOnlyList<BatchCall> calls, CancellationToken ct)
    {
        var results = new List<BatchResult>(calls.Count);
        for (var index = 0; index < calls.Count; index++)
        {
            var (item, number) = (calls[index], index + 1);
            // Inside a unit (a dry run, or a Batch with a ClientRequestId) an item still stands alone: its failure undoes its own writes only.
            var outcome = WriteUnit.Current is null
                ? await RunItemAsync(item, number, ct).ConfigureAwait(false)
                : await writer.RunUnitAsync(rollBack: false, async unit =>
                {
                    var own = await RunItemAsync(item, number, ct).ConfigureAwait(false);
                    if (Failed(own))
                        await unit.RollBackWritesAsync().ConfigureAwait(false);
                    return own;
                }, ct).ConfigureAwait(false);
            results.Add(Result(item, outcome.Payload));
        }
        return new BatchReply { Results = results };
    }

    /// <summary>All items in one transaction; the first that fails undoes the others, and the items after it do not run.</summary>
    public async Task<BatchReply> AtomicAsync(IReadOnlyList<BatchCall> calls, CancellationToken ct)
    {
        var (outcomes, failed) = await writer.RunUnitAsync(rollBack: false, async unit =>
        {
            var done = new List<CallOutcome>(calls.Count);
            foreach (var item in calls)
            {
                done.Add(await RunItemAsync(item, done.Count + 1, ct).ConfigureAwait(false));
                if (Failed(done[^1]))
                {
                    await unit.RollBackWritesAsync().ConfigureAwait(false);
                    return (done, done.Count);
                }
            }
            return (done, 0);
        }, ct).ConfigureAwait(false);

        if (failed == 0)
            return new BatchReply { Results = [.. calls.Select((item, i) => Result(item, outcomes[i].Payload))] };
        var notApplied = Failures.Payload(ErrorCode.OperationFailed, $"not applied: item {failed} failed");
        return new BatchReply
        {
            Result = false,
            ErrorMsg = Failures.ErrorMsg(ErrorCode.OperationFailed),
            ErrorCode = (int)ErrorCode.OperationFailed,
            Detail = $"item {failed} ({Name(calls[failed - 1])}) failed; nothing was applied",
            Results = [.. calls.Select((item, i) => Result(item, i == failed - 1 ? outcomes[i].Payload : notApplied))],
        };
    }

    private async Task<CallOutcome> RunItemAsync(BatchCall item, int number, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(item.N))
            return Refused($"item {number} needs n, the function to call");
        var payload = Payload(item.O);
        if (PayloadValidator.Check(payload, maxDepth, $"o of item {number}") is { } problem)
            return Refused(problem);
        if (dispatcher.Registry.TryGet(item.N, out var handler) && handler.Kind is CallKind.Login or CallKind.Batch)
            return Refused($"{handler.Name} cannot be an item of a Batch");
        return await dispatcher.CallItemAsync(item.N, payload, batch, ct).ConfigureAwait(false);
    }

    // An object (or array) as sent; a string holds the payload serialized; absent, null or "" mean {}.
    private static byte[] Payload(JsonElement? o) => o switch
    {
        null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => "{}"u8.ToArray(),
        { ValueKind: JsonValueKind.String } text => text.GetString() is { Length: > 0 } json ? Encoding.UTF8.GetBytes(json) : "{}"u8.ToArray(),
        { } value => Encoding.UTF8.GetBytes(value.GetRawText()),
    };

    private static CallOutcome Refused(string detail) => new(Failures.Payload(ErrorCode.InvalidRequest, detail), ErrorCode.InvalidRequest);

    private string Name(BatchCall item) =>
        item.N is { } n && dispatcher.Registry.TryGet(n, out var handler) ? handler.Name : Failures.EchoedName(item.N ?? "");

    // A reply with an errorcode, or AddAccount's Success:false, is a failure: in an atomic batch it undoes the rest.
    private static bool Failed(CallOutcome outcome)
    {
        if (outcome.Code != ErrorCode.None || outcome.Status != CallStatus.Answered)
            return true;
        var reader = new Utf8JsonReader(outcome.Payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var success = reader.ValueTextEquals("Success"u8);
            reader.Read();
            if (success && reader.TokenType == JsonTokenType.False)
                return true;
            reader.Skip();
        }
        return false;
    }

    private BatchResult Result(BatchCall item, byte[] payload)
    {
        var isObject = payload.AsSpan().TrimStart(" \t\r\n"u8) is [(byte)'{', ..];
        if (dryRun && isObject)
            payload = DryRunMark.Add(payload);
        using var document = JsonDocument.Parse(payload);
        return new BatchResult(item.N ?? "", document.RootElement.Clone()) { DryRun = dryRun && !isObject ? true : null };
    }
}
