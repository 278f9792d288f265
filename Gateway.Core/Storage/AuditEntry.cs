namespace Gateway.Core.Storage;

/// <summary>Who made a write and what they asked for, as the audit log records it beside the change.</summary>
/// <param name="UserId">The user the record names: the caller, or the user logging in.</param>
/// <param name="SessionId">The caller's session (a non-secret id), null when it had none.</param>
/// <param name="Function">The call's canonical name.</param>
/// <param name="Payload">The request as received; secrets are removed before it is stored.</param>
public sealed record AuditEntry(int UserId, string? SessionId, string Function, ReadOnlyMemory<byte> Payload);
