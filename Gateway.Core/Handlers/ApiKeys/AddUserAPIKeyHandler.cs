using System.Security.Cryptography;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers.Users;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Core.Telemetry;
using static Gateway.Core.Sessions.PermissionNames;

namespace Gateway.Core.Handlers.ApiKeys;

/// <summary>AddUserAPIKey: a new key for a user, carrying permissions both the user and the caller hold; the secret is shown this once.</summary>
public sealed class AddUserAPIKeyHandler(UserLookup lookup, PermissionCatalog catalog, MasterKey masterKey, DbWriter writer, TimeProvider time,
    SecurityEvents security)
    : IHandler<ApiKeyRequest, NewApiKey>
{
    /// <inheritdoc />
    public static string Name => "AddUserAPIKey";

    /// <inheritdoc />
    public static Access Requires => Access.Scoped(Trading);

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Write;

    /// <inheritdoc />
    public async ValueTask<NewApiKey> HandleAsync(ApiKeyRequest request, CallContext call, CancellationToken ct)
    {
        var user = await lookup.ResolveAsync(request.UserId, request.UserName, call, callerWhenAbsent: true, ct).ConfigureAwait(false);
        if (request.Permissions is not { Count: > 0 })
            throw new GatewayException(ErrorCode.InvalidRequest, "AddUserAPIKey needs Permissions, e.g. [\"Trading\"]");
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var permission in request.Permissions)
        {
            if (!catalog.TryCanonical(permission, out var name))
                throw new GatewayException(ErrorCode.InvalidRequest, $"Permission '{permission}' is unknown; it must be one of GetAvailablePermissionList");
            names.Add(name);
        }

        // No one gives more than they hold (calls.md), and "they" is the session: a key cannot mint a key wider than itself.
        if (names.FirstOrDefault(n => !call.Holds(n)) is { } lacking)
            throw new GatewayException(ErrorCode.NotAuthorized, $"You cannot give a key {lacking}: this session does not hold it");

        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await writer.WriteAsync(call.Audit, async tx =>
        {
            if (FirstNotHeld(await PermissionStore.HeldAsync(tx, user.UserId).ConfigureAwait(false), names) is { } missing)
                throw new GatewayException(ErrorCode.InvalidRequest, $"user {user.UserId} does not hold {missing}; a key carries only permissions its user holds");
            await tx.AuditChangeAsync(AuditStates.ApiKeys(user.UserId)).ConfigureAwait(false);
            await ApiKeyStore.AddAsync(tx, apiKey, user.UserId, names, time.GetUtcNow()).ConfigureAwait(false);
            tx.Change = $"API key {apiKey} added for user {user.UserId} with {string.Join(", ", names)}";
        }, ct).ConfigureAwait(false);
        await writer.AfterCommitAsync(() => security.ApiKeyAdded(apiKey, user.UserId, names, call), ct).ConfigureAwait(false);
        return new NewApiKey(apiKey, masterKey.ApiSecret(apiKey), user.UserId, [.. names]);
    }

    private static string? FirstNotHeld(IReadOnlyList<string> held, IEnumerable<string> names) =>
        held.Contains(Operator) ? null : names.FirstOrDefault(n => !held.Contains(n));
}
