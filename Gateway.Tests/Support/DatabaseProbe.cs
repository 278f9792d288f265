using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
#if POSTGRES
using Npgsql;
#endif

namespace Gateway.Tests.Support;

/// <summary>
/// Reads a gateway's database directly, to assert what was (or was not) written: its SQLite file, or in the Postgres
/// build the PostgreSQL database <see cref="TestProvider"/> made for the file's folder (the path names the folder).
/// </summary>
public static class DatabaseProbe
{
    // Every table a call may change, and the columns compared. A session's LastActivity is left out: any call, even a
    // refused one, marks the caller's session active.
    private static readonly (string Table, string Columns)[] Tables =
    [
        ("users", "*"), ("user_permissions", "*"), ("login_failures", "*"), ("accounts", "*"), ("user_accounts", "*"),
        ("user_account_permissions", "*"), ("affiliate_tags", "*"), ("audit_log", "*"), ("api_keys", "*"), ("totp", "*"), ("client_requests", "*"),
        ("password_resets", "*"), ("user_config", "*"), ("account_config", "*"), ("sessions", $"{Hex("TokenHash")}, UserId, CreatedAt"),
    ];

    /// <summary>The SQL of <paramref name="column"/>'s bytes as hex text on this build's engine.</summary>
    public static string Hex(string column) => TestProvider.IsPostgres ? $"upper(encode({column}, 'hex'))" : $"hex({column})";

    public static string DatabasePath(this TestHost host) => Path.Combine(host.DataDir.FullName, "gateway.db");

#if POSTGRES
    public static async Task<NpgsqlConnection> OpenAsync(string path)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestProvider.ConnectionString(new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!)))
        {
            // As for SQLite: a probe's connection is closed for real, so it never holds the database past the probe.
            Pooling = false,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
#else
    public static Task<SqliteConnection> OpenAsync(string path) => OpenSqliteAsync(path);
#endif

    /// <summary>The SQLite file at <paramref name="path"/>, in either build: for helpers that work on the file itself (locks, legacy schemas).</summary>
    public static async Task<SqliteConnection> OpenSqliteAsync(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Every row of every table a call can change (without sessions' LastActivity), as text, to compare before and after.</summary>
    public static async Task<string> SnapshotAsync(string path, params string[] except)
    {
        await using var db = await OpenAsync(path);
        var text = new StringBuilder();
        foreach (var (table, columns) in Tables.Where(t => !except.Contains(t.Table)))
        {
            text.Append("# ").AppendLine(table);
            foreach (IDictionary<string, object?> row in await db.QueryAsync($"SELECT {columns} FROM {table} ORDER BY 1, 2"))
                text.AppendLine(string.Join('|', row.Select(c => $"{c.Key}={c.Value}")));
        }
        return text.ToString();
    }

    public static Task<string> SnapshotAsync(this TestHost host) => SnapshotAsync(host.DatabasePath());

    /// <summary>The snapshot without <paramref name="except"/> (e.g. audit_log, where a no-op success still records itself).</summary>
    public static Task<string> SnapshotExceptAsync(this TestHost host, params string[] except) => SnapshotAsync(host.DatabasePath(), except);

    /// <summary>A scalar query against the host's database.</summary>
    public static async Task<T> ScalarAsync<T>(this TestHost host, string sql, object? parameters = null)
    {
        await using var db = await OpenAsync(host.DatabasePath());
        return (await db.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
