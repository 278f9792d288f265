using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>An open <c>BEGIN IMMEDIATE</c> transaction on the writer's connection, handed to one unit of work.</summary>
public sealed class WriteTransaction
{
    internal WriteTransaction(SqliteConnection connection, SqliteTransaction transaction, CancellationToken ct)
    {
        Connection = connection;
        Transaction = transaction;
        Token = ct;
    }

    /// <summary>The writer's connection.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The open transaction.</summary>
    public SqliteTransaction Transaction { get; }

    /// <summary>Cancels the work.</summary>
    public CancellationToken Token { get; }

    /// <summary>What the work changed, in words, for the audit record; "ok" when left unset.</summary>
    public string? Change { get; set; }

    /// <summary>Runs a statement in the transaction.</summary>
    public Task<int> ExecuteAsync(string sql, object? parameters = null) =>
        Connection.ExecuteAsync(Command(sql, parameters));

    /// <summary>Runs a query in the transaction and returns its first column of its first row.</summary>
    public Task<T?> ScalarAsync<T>(string sql, object? parameters = null) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, parameters));

    /// <summary>Runs a query in the transaction and returns the first row, or default.</summary>
    public Task<T?> FirstOrDefaultAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryFirstOrDefaultAsync<T>(Command(sql, parameters));

    /// <summary>Runs a query in the transaction.</summary>
    public Task<IEnumerable<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Connection.QueryAsync<T>(Command(sql, parameters));

    private CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, Transaction, cancellationToken: Token);
}
