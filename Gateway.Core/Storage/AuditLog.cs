using Gateway.Core.Dispatch;

namespace Gateway.Core.Storage;

/// <summary>The audit trail: one row per successful write, written in the write's own transaction.</summary>
public sealed class AuditLog(TimeProvider time)
{
    private const string Insert = """
        INSERT INTO audit_log (At, UserId, SessionId, Function, Payload, Change)
        VALUES (@At, @UserId, @SessionId, @Function, @Payload, @Change)
        """;

    internal Task AppendAsync(WriteTransaction tx, CallContext call) => tx.ExecuteAsync(Insert, new
    {
        At = Timestamps.Iso(time.GetUtcNow()),
        UserId = call.Session?.UserId ?? call.AuditUserId,
        SessionId = call.Session?.Id,
        call.Function,
        Payload = AuditPayload.Scrub(call.Payload.Span),
        Change = tx.Change ?? "ok",
    });
}
