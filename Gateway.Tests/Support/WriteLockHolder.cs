using Microsoft.Data.Sqlite;

namespace Gateway.Tests.Support;

/// <summary>Another connection holding SQLite's write lock (<c>BEGIN IMMEDIATE</c>) until it is rolled back or disposed.</summary>
public sealed class WriteLockHolder : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private WriteLockHolder(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        Transaction = transaction;
    }

    /// <summary>The open <c>BEGIN IMMEDIATE</c> transaction; roll it back (or dispose the holder) to release the lock.</summary>
    public SqliteTransaction Transaction { get; }

    /// <summary>Opens a non-pooled connection to <paramref name="path"/> and takes the write lock.</summary>
    public static async Task<WriteLockHolder> TakeAsync(string path)
    {
        var connection = await DatabaseProbe.OpenSqliteAsync(path);
        try
        {
            return new WriteLockHolder(connection, connection.BeginTransaction(deferred: false));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
