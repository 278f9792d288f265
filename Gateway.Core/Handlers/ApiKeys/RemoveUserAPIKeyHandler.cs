using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.ApiKeys;

/// <summary>RemoveUserAPIKey: deletes a user's key (104 when it has no such key) and ends the sessions opened with it.</summary>
public sealed class RemoveUserAPIKeyHandler(UserLookup lookup, DbWriter writer, SessionManager sessions, SecurityEvents security) : IHandler<ApiKeyRequest, StandardResponse>
{
    /// <inheritdoc />
    public static string Name => "RemoveUserAPIKey";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<StandardResponse> HandleAsync(ApiKeyRequest request, CallContext call, CancellationToken ct)
    {
        var user = await lookup.ResolveAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        if (string.IsNullOrEmpty(request.APIKey))
            throw new GatewayException(ErrorCode.InvalidRequest, "RemoveUserAPIKey needs APIKey");
        await writer.WriteAsync(call.Audit, async tx =>
        {
            await tx.AuditChangeAsync(AuditStates.ApiKeys(user.UserId)).ConfigureAwait(false);
            if (!await ApiKeyStore.RemoveAsync(tx, request.APIKey, user.UserId).ConfigureAwait(false))
                throw new GatewayException(ErrorCode.ResourceNotFound, $"user {user.UserId} has no API key {request.APIKey}");
            tx.Change = $"API key {request.APIKey} removed from user {user.UserId}";
        }, ct).ConfigureAwait(false);
        await writer.AfterCommitAsync(() => security.ApiKeyRemoved(request.APIKey, user.UserId, call), ct).ConfigureAwait(false);
        await writer.AfterCommitAsync(token => sessions.EndForKeyAsync(request.APIKey, token), ct).ConfigureAwait(false);
        return StandardResponse.Ok;
    }
}
