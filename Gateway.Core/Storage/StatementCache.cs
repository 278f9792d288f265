using System.Collections.Concurrent;
using System.Reflection;
using System.Data;
using System.Data.Common;

namespace Gateway.Core.Storage;

/// <summary>
/// The writer connection's commands, one per SQL text, kept prepared: Microsoft.Data.Sqlite compiles a command's SQL
/// once and reuses it while the text is unchanged, which spares the writer most of its per-statement cost (Npgsql
/// prepares the texts it sees often on its own).
/// Parameters are bound from an object's properties named in the SQL (<c>@Name</c>), as Dapper would.
/// </summary>
internal sealed class StatementCache(DbConnection connection) : IDisposable
{
    private static readonly ConcurrentDictionary<(string Sql, Type Type), PropertyInfo[]> Bindings = new();

    private readonly Dictionary<(string Sql, Type? Type), DbCommand> _commands = new();

    /// <summary>The prepared command for <paramref name="sql"/>, in <paramref name="transaction"/>, with <paramref name="parameters"/> bound.</summary>
    /// <remarks>
    /// One command per text and parameter type, whose parameter objects are made once and given new values on every use:
    /// Npgsql keeps, with a command it has parsed, the parameter objects its named placeholders were bound to, so
    /// replacing them (Clear and Add) would send the first call's values again.
    /// </remarks>
    public DbCommand Get(string sql, object? parameters, DbTransaction transaction)
    {
        var key = (sql, parameters?.GetType());
        var properties = parameters is null ? [] : Bindings.GetOrAdd((sql, parameters.GetType()), k => Named(k.Sql, k.Type));
        if (!_commands.TryGetValue(key, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var property in properties)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@" + property.Name;
                command.Parameters.Add(parameter);
            }
            _commands[key] = command;
        }
        command.Transaction = transaction;
        for (var i = 0; i < properties.Length; i++)
        {
            var parameter = command.Parameters[i];
            parameter.ResetDbType();
            parameter.Value = Value(properties[i].GetValue(parameters));
            if (parameter.Value is DBNull)
                parameter.DbType = NullType(properties[i].PropertyType);
        }
        return command;
    }

    // Flags are integer columns on both engines: SQLite takes a bool as 0/1 on its own, PostgreSQL needs the number.
    private static object Value(object? value) => value switch
    {
        null => DBNull.Value,
        bool flag => flag ? 1L : 0L,
        _ => value,
    };

    // A null's type comes from its property, as Dapper gives it: PostgreSQL cannot infer one for "@p IS NOT NULL" alone.
    private static DbType NullType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => DbType.String,
        var t when t == typeof(byte[]) => DbType.Binary,
        var t when t == typeof(int) || t == typeof(long) || t == typeof(bool) || t == typeof(short) => DbType.Int64,
        var t when t == typeof(double) || t == typeof(decimal) => DbType.Double,
        _ => DbType.String,
    };

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }

    // Only the properties the SQL names: SQLite refuses values for parameters a statement does not have.
    private static PropertyInfo[] Named(string sql, Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && ContainsParameter(sql, p.Name))];

    private static bool ContainsParameter(string sql, string name)
    {
        var at = 0;
        while ((at = sql.IndexOf("@" + name, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var end = at + name.Length + 1;
            if (end == sql.Length || !(char.IsLetterOrDigit(sql[end]) || sql[end] == '_'))
                return true;
            at = end;
        }
        return false;
    }
}
