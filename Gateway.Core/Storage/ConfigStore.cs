using Dapper;
using Gateway.Core.Handlers.Config;

namespace Gateway.Core.Storage;

/// <summary>User config and account config: key/value strings per owner, a key unique per owner ignoring case.</summary>
public sealed class ConfigStore(Database database)
{
    /// <summary>Whose config: the statements of one table, so no SQL is ever built from text.</summary>
    public sealed class Owner
    {
        private Owner(string list, string upsert, string delete)
        {
            ListSql = list;
            UpsertSql = upsert;
            DeleteSql = delete;
        }

        /// <summary>A user's config (<c>user_config</c>).</summary>
        public static Owner User { get; } = new(
            "SELECT Key, Value FROM user_config WHERE UserId = @Id",
            """
            INSERT INTO user_config (UserId, Key, Value) VALUES (@Id, @Key, @Value)
            ON CONFLICT (UserId, Key) DO UPDATE SET Key = excluded.Key, Value = excluded.Value
            """,
            "DELETE FROM user_config WHERE UserId = @Id AND Key = @Key");

        /// <summary>An account's config (<c>account_config</c>).</summary>
        public static Owner Account { get; } = new(
            "SELECT Key, Value FROM account_config WHERE AccountId = @Id",
            """
            INSERT INTO account_config (AccountId, Key, Value) VALUES (@Id, @Key, @Value)
            ON CONFLICT (AccountId, Key) DO UPDATE SET Key = excluded.Key, Value = excluded.Value
            """,
            "DELETE FROM account_config WHERE AccountId = @Id AND Key = @Key");

        internal string ListSql { get; }
        internal string UpsertSql { get; }
        internal string DeleteSql { get; }
    }

    /// <summary>The config of <paramref name="id"/>, sorted by key ignoring case; empty when none.</summary>
    public async Task<IReadOnlyList<ConfigEntry>> ListAsync(Owner owner, int id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        var rows = await db.QueryAsync<ConfigEntry>(new CommandDefinition(owner.ListSql, new { Id = id }, cancellationToken: ct)).ConfigureAwait(false);
        return ConfigKeys.Sorted(rows);
    }

    /// <summary>The config of <paramref name="id"/> as the transaction sees it, sorted by key ignoring case.</summary>
    public static async Task<IReadOnlyList<ConfigEntry>> ListAsync(WriteTransaction tx, Owner owner, int id)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(owner);
        return ConfigKeys.Sorted(await tx.QueryAsync<ConfigEntry>(owner.ListSql, new { Id = id }).ConfigureAwait(false));
    }

    /// <summary>Sets <paramref name="entry"/>, replacing the value and spelling of a key that differs only in case.</summary>
    public static Task SetAsync(WriteTransaction tx, Owner owner, int id, ConfigEntry entry)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(entry);
        return tx.ExecuteUncachedAsync(owner.UpsertSql, new { Id = id, entry.Key, entry.Value });
    }

    /// <summary>Removes <paramref name="key"/> (ignoring case); true when it was set.</summary>
    public static async Task<bool> RemoveAsync(WriteTransaction tx, Owner owner, int id, string key)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(owner);
        return await tx.ExecuteUncachedAsync(owner.DeleteSql, new { Id = id, Key = key }).ConfigureAwait(false) > 0;
    }
}
