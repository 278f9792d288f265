using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;

namespace Gateway.Core.Dispatch;

/// <summary>What a handler knows about the call beyond its payload: where it came from and who is calling.</summary>
public sealed class CallContext
{
    /// <summary>The transport the call arrived on.</summary>
    public required IConnection Connection { get; init; }

    /// <summary>The canonical function name.</summary>
    public required string Function { get; init; }

    /// <summary>The frame's <c>i</c> (0 over HTTP).</summary>
    public long Sequence { get; init; }

    /// <summary>The request payload as received, for the audit log (secrets are removed before it is stored).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>True for an item of a <c>Batch</c>: the Batch's own transport-level ClientRequestId (an HTTP header) is not the item's.</summary>
    public bool IsBatchItem { get; init; }

    /// <summary>The caller's session; null for a public call made without logging in.</summary>
    public Session? Session => Connection.Session;

    /// <summary>True when the caller's access comes from an umbrella permission, so it may act only on itself.</summary>
    public bool Scoped { get; internal set; }

    /// <summary>Who the audit record names when the call has no session yet (a login names the user logging in).</summary>
    public int AuditUserId { get; set; }

    /// <summary>The call as its audit record names it: the session's user and id, else <see cref="AuditUserId"/> and no session.</summary>
    public AuditEntry Audit => new(Session?.UserId ?? AuditUserId, Session?.Id, Function, Payload);

    /// <summary>The caller's UserId; 20 when not logged in.</summary>
    public int CallerId => Session?.UserId ?? throw Failures.NoSession();

    /// <summary>True when the caller's session holds Operator (checked against the database at the start of this call).</summary>
    public bool IsOperator { get; internal set; }

    /// <summary>
    /// What the caller's session may do, read at the start of this call: its user's permissions, and for a session
    /// opened with an API key only the key's permissions its user holds. Empty for a public call.
    /// </summary>
    public IReadOnlyCollection<string> Held { get; internal set; } = [];

    /// <summary>True when the session holds <paramref name="permission"/> (an Operator holds every one): the bound on what it may grant.</summary>
    public bool Holds(string permission) => IsOperator || Held.Contains(permission);

    /// <summary>Refuses (20) a scoped caller acting on another user.</summary>
    public void EnsureMayActOn(int userId)
    {
        if (Scoped && userId != CallerId)
            throw new GatewayException(ErrorCode.NotAuthorized, $"{Function} may only act on your own user ({CallerId}), not on user {userId}");
    }
}
