namespace Gateway.Core.Storage;

/// <summary>
/// User config rows as RegisterNewUser writes them. The config calls own the full store; this holds only the insert a
/// registration needs, until the two are reconciled.
/// </summary>
public static class UserConfigStore
{
    private const string InsertSql = """INSERT INTO user_config (UserId, "Key", Value) VALUES (@UserId, @Key, @Value)""";

    /// <summary>Stores the entries of a user that has none yet.</summary>
    public static async Task InsertAsync(WriteTransaction tx, int userId, IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries)
            await tx.ExecuteAsync(InsertSql, new { UserId = userId, Key = key, Value = value }).ConfigureAwait(false);
    }
}
