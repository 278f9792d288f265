namespace Gateway.Core.Storage;

/// <summary>
/// What a write changes, for its audit record: the user and account it changes, and how to read the changed entity
/// inside the write's transaction (as the read calls answer it, JSON text; null when it does not exist).
/// </summary>
/// <param name="UserId">The user changed (the record's TargetUserId), or null.</param>
/// <param name="AccountId">The account changed (the record's TargetAccountId), or null.</param>
/// <param name="Read">Reads the entity; the record keeps what it answers before the work as Before and after it as After.</param>
public sealed record AuditSubject(int? UserId, int? AccountId, Func<WriteTransaction, Task<string?>> Read);
