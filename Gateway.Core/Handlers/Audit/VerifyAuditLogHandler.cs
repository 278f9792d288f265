using System.Text.Json.Serialization;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;

namespace Gateway.Core.Handlers.Audit;

/// <summary>VerifyAuditLog: walks the audit hash chain; 101 naming the first row that does not match its hash.</summary>
public sealed class VerifyAuditLogHandler(Database database) : IHandler<EmptyRequest, AuditLogVerified>
{
    /// <inheritdoc />
    public static string Name => "VerifyAuditLog";

    /// <inheritdoc />
    public static Access Requires => Access.Operator;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public async ValueTask<AuditLogVerified> HandleAsync(EmptyRequest request, CallContext call, CancellationToken ct)
    {
        var chain = await AuditChain.VerifyAsync(database, ct).ConfigureAwait(false);
        if (!chain.Ok)
            throw new GatewayException(ErrorCode.OperationFailed, chain.Detail!);
        return new AuditLogVerified { Rows = chain.Rows, LastId = chain.LastId, Head = chain.Head };
    }
}

/// <summary>Std plus the chain's length, last row and head hash.</summary>
public sealed class AuditLogVerified : StandardReply
{
    /// <summary>How many rows the chain holds.</summary>
    public long Rows { get; init; }
    /// <summary>The Id of the newest row; 0 for an empty log.</summary>
    public long LastId { get; init; }
    /// <summary>The Hash of that row; 64 zeros for an empty log.</summary>
    public string Head { get; init; } = "";
}
