using System.Globalization;
using System.Text.Json;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Audit;

/// <summary>GetAuditLog: audit records newest first, filtered by user, function and time, paged by StartIndex and Limit.</summary>
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
        if (request.Limit is < 1 or > MaxLimit)
            throw new GatewayException(ErrorCode.InvalidRequest, $"Limit must be from 1 to {MaxLimit}");
        var query = new AuditLog.AuditQuery(
            request.UserId is > 0 ? request.UserId : null,
            string.IsNullOrEmpty(request.Function) ? null : request.Function,
            Time(request.FromTime, "FromTime"), Time(request.ToTime, "ToTime"),
            request.StartIndex ?? 0, request.Limit ?? 100);
        var rows = await audit.QueryAsync(query, ct).ConfigureAwait(false);
        return rows.Select(r => new AuditRecord(r.Id, r.At, (int)r.UserId, r.SessionId, r.Function, Parse(r.Payload), r.Change)).ToList();
    }

    private static string? Time(string? text, string key)
    {
        if (string.IsNullOrEmpty(text))
            return null;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            throw new GatewayException(ErrorCode.InvalidRequest, $"{key} must be an ISO-8601 time such as 2026-11-24T06:00:00Z, not '{text}'");
        return Timestamps.Iso(at);
    }

    private static JsonElement Parse(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        return document.RootElement.Clone();
    }
}

/// <summary><c>{"UserId"?, "Function"?, "FromTime"?, "ToTime"?, "StartIndex":0, "Limit":100}</c>.</summary>
public sealed class AuditLogRequest : IOmsRequest
{
    /// <inheritdoc />
    public int? OMSId { get; set; }
    /// <summary>Only records of this caller.</summary>
    public int? UserId { get; set; }
    /// <summary>Only records of this function (ignoring case).</summary>
    public string? Function { get; set; }
    /// <summary>Only records at or after this ISO-8601 time.</summary>
    public string? FromTime { get; set; }
    /// <summary>Only records at or before this ISO-8601 time.</summary>
    public string? ToTime { get; set; }
    /// <summary>How many of the newest matching records to skip.</summary>
    public int? StartIndex { get; set; }
    /// <summary>How many to answer, 1 to 1000 (default 100).</summary>
    public int? Limit { get; set; }
}

/// <summary>One audit record: who, when, what (the payload without secrets) and the change.</summary>
/// <param name="Id">Ascending with time.</param>
/// <param name="Time">ISO-8601 UTC.</param>
/// <param name="UserId">The caller.</param>
/// <param name="SessionId">The caller's session (a non-secret id), null when it had none.</param>
/// <param name="Function">The call.</param>
/// <param name="Payload">The request without password, secret, token or code keys.</param>
/// <param name="Change">What it changed.</param>
public sealed record AuditRecord(long Id, string Time, int UserId, string? SessionId, string Function, JsonElement Payload, string Change);
