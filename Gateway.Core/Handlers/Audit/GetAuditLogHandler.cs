using System.Globalization;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Audit;

/// <summary>
/// GetAuditLog: audit records newest first (oldest first after FromId), filtered by actor, user or account changed,
/// function and time, paged by StartIndex and Limit.
/// </summary>
public sealed class GetAuditLogHandler(AuditLog audit) : IHandler<AuditLogRequest, IReadOnlyList<AuditRecord>>
{
    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    /// <inheritdoc />
    public static string Name => "GetAuditLog";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<AuditRecord>> HandleAsync(AuditLogRequest request, CallContext call, CancellationToken ct)
    {
        if (request.StartIndex is < 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "StartIndex must be 0 or more");
        if (request.FromId is < 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "FromId must be 0 or more");
        if (request.Limit is < 1 or > MaxLimit)
            throw new GatewayException(ErrorCode.InvalidRequest, $"Limit must be from 1 to {MaxLimit}");
        var query = new AuditLog.AuditQuery(
            request.UserId is > 0 ? request.UserId : null,
            string.IsNullOrEmpty(request.Function) ? null : request.Function,
            Time(request.FromTime, "FromTime"), Time(request.ToTime, "ToTime"),
            request.StartIndex ?? 0, request.Limit ?? 100,
            request.TargetUserId is > 0 ? request.TargetUserId : null,
            request.AccountId is > 0 ? request.AccountId : null,
            request.FromId);
        var rows = await audit.QueryAsync(query, ct).ConfigureAwait(false);
        return rows.Select(r => new AuditRecord(
            r.Id, r.At, (int)r.UserId, r.SessionId, r.Function, Parse(r.Payload)!.Value, r.Change,
            (int?)r.TargetUserId, (int?)r.TargetAccountId, Parse(r.Before), Parse(r.After), r.Hash)).ToList();
    }

    private static string? Time(string? text, string key)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw new GatewayException(ErrorCode.InvalidRequest, $"{key} must be an ISO-8601 time such as 2026-11-24T06:00:00Z, not '{text}'");
        return Timestamps.Iso(at);
    }

    private static JsonElement? Parse(string? json)
    {
        if (json is null)
            return null;
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}

/// <summary><c>{"UserId"?, "TargetUserId"?, "AccountId"?, "Function"?, "FromTime"?, "ToTime"?, "FromId"?, "StartIndex":0, "Limit":100}</c>.</summary>
public sealed class AuditLogRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>Only records of this caller (the actor).</summary>
    public int? UserId { get; set; }
    /// <summary>Only records that changed this user.</summary>
    public int? TargetUserId { get; set; }
    /// <summary>Only records that changed this account (their TargetAccountId).</summary>
    public int? AccountId { get; set; }
    /// <summary>Only records of this function (ignoring case).</summary>
    public string? Function { get; set; }
    /// <summary>Only records at or after this ISO-8601 time.</summary>
    public string? FromTime { get; set; }
    /// <summary>Only records at or before this ISO-8601 time.</summary>
    public string? ToTime { get; set; }
    /// <summary>Only records with a greater Id, answered oldest first; 0 is given (the whole log from its start), unlike a 0 UserId.</summary>
    public long? FromId { get; set; }
    /// <summary>How many of the matching records to skip.</summary>
    public int? StartIndex { get; set; }
    /// <summary>How many to answer, 1 to 1000 (default 100).</summary>
    public int? Limit { get; set; }
}

/// <summary>One audit record: who, when, what (the payload without secrets), the change, whom it changed, the changed entity before and after, and its hash.</summary>
/// <param name="Id">Ascending with time.</param>
/// <param name="Time">ISO-8601 UTC.</param>
/// <param name="UserId">The caller.</param>
/// <param name="SessionId">The caller's session (a non-secret id), null when it had none.</param>
/// <param name="Function">The call.</param>
/// <param name="Payload">The request without password, secret, token or code keys.</param>
/// <param name="Change">What it changed.</param>
/// <param name="TargetUserId">The user changed, null when none.</param>
/// <param name="TargetAccountId">The account changed, null when none.</param>
/// <param name="Before">The changed entity before, null when there was nothing.</param>
/// <param name="After">The changed entity after, null when there is nothing.</param>
/// <param name="Hash">SHA-256 over the previous record's Hash and this record's canonical JSON.</param>
public sealed record AuditRecord(
    long Id, string Time, int UserId, string? SessionId, string Function, JsonElement Payload, string Change,
    int? TargetUserId, int? TargetAccountId, JsonElement? Before, JsonElement? After, string? Hash);
