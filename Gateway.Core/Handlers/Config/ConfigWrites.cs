using System.Globalization;
using Gateway.Core.Protocol;
using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers.Config;

/// <summary>
/// The writes of SetUserConfig, SetAccountConfig and the two Removes, for either owner: all items or none, the key
/// limit counted inside the transaction, and a request that changes nothing leaves no audit record.
/// </summary>
public sealed class ConfigWrites(DbWriter writer, IOptions<GatewayOptions> options)
{
    /// <summary>The config of <paramref name="userId"/>, limited by <c>Gateway:Limits:ConfigKeysPerUser</c>.</summary>
    public Target OfUser(int userId) => new(ConfigStore.Owner.User, userId, "userId " + userId.ToString(CultureInfo.InvariantCulture),
        options.Value.Limits.ConfigKeysPerUser, AuditStates.UserConfig(userId));

    /// <summary>The config of <paramref name="accountId"/>, limited by <c>Gateway:Limits:ConfigKeysPerAccount</c>.</summary>
    public Target OfAccount(int accountId) => new(ConfigStore.Owner.Account, accountId, "accountId " + accountId.ToString(CultureInfo.InvariantCulture),
        options.Value.Limits.ConfigKeysPerAccount, AuditStates.AccountConfig(accountId));

    /// <summary>One owner of config: its table, its id, how replies name it, its key limit and its audit subject.</summary>
    /// <param name="Owner">The table.</param>
    /// <param name="Id">The UserId or AccountId.</param>
    /// <param name="Name">How details name it: <c>userId 7</c>, <c>accountId 3</c>.</param>
    /// <param name="Limit">Keys it may have.</param>
    /// <param name="Audit">Its Before and After.</param>
    public sealed record Target(ConfigStore.Owner Owner, int Id, string Name, int Limit, AuditSubject Audit);

    /// <summary>Sets every entry or none, in a write of its own; 101 when the owner would hold more keys than its limit.</summary>
    public Task SetAsync(AuditEntry audited, Target target, IReadOnlyList<ConfigEntry> entries, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(entries);
        return writer.WriteAsync(audited, async tx =>
        {
            await tx.AuditChangeAsync(target.Audit).ConfigureAwait(false);
            var changed = await ApplyAsync(tx, target, entries).ConfigureAwait(false);
            if (changed.Count == 0)
            {
                tx.Unchanged = true;
                return;
            }
            tx.Change = $"{target.Name} config set: {string.Join(", ", changed.Select(e => e.Key))}";
        }, ct);
    }

    /// <summary>
    /// Stores <paramref name="entries"/> (already checked by <see cref="ConfigKeys"/>) inside a write that is under way,
    /// such as the one creating a user; 101 over the owner's key limit. Answers the entries that changed anything.
    /// </summary>
    public static async Task<IReadOnlyList<ConfigEntry>> ApplyAsync(WriteTransaction tx, Target target, IReadOnlyList<ConfigEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(entries);
        var current = await ConfigStore.ListAsync(tx, target.Owner, target.Id).ConfigureAwait(false);
        var added = entries.Count(e => !current.Any(c => c.Key.Equals(e.Key, StringComparison.OrdinalIgnoreCase)));
        if (current.Count + added > target.Limit)
            throw new GatewayException(ErrorCode.OperationFailed, $"{target.Name} would have {current.Count + added} config keys; the limit is {target.Limit}");
        // A key sent again in the same spelling with the same value is no change; a new spelling is one.
        var changed = entries.Where(e => !current.Contains(e)).ToList();
        foreach (var entry in changed)
            await ConfigStore.SetAsync(tx, target.Owner, target.Id, entry).ConfigureAwait(false);
        return changed;
    }

    /// <summary>Removes <paramref name="key"/>; 104 when it is not set.</summary>
    public Task RemoveAsync(AuditEntry audited, Target target, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        return writer.WriteAsync(audited, async tx =>
        {
            await tx.AuditChangeAsync(target.Audit).ConfigureAwait(false);
            if (!await ConfigStore.RemoveAsync(tx, target.Owner, target.Id, key).ConfigureAwait(false))
                throw new GatewayException(ErrorCode.ResourceNotFound, $"config key '{key}' is not set for {target.Name}");
            tx.Change = $"{target.Name} config key '{key}' removed";
        }, ct);
    }
}
