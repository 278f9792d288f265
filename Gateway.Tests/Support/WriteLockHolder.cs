using System.Data.Common;
using Dapper;
using Gateway.Core.Storage;

namespace Gateway.Tests.Support;

/// <summary>
/// Another connection holding the database's write lock until it is rolled back or disposed: SQLite's file lock
/// (<c>BEGIN IMMEDIATE</c>), or in the Postgres build the advisory lock every gateway writer takes first. Either way the
/// gateway's writer finds the database busy, as it would with another process (or node) writing.
/// </summary>
public sealed class WriteLockHolder : IAsyncDisposable
{
    private readonly DbConnection _connection;

    private WriteLockHolder(DbConnection connection, DbTransaction transaction)
    {
        _connection = connection;
        Transaction = transaction;
    }

    /// <summary>The open transaction holding the lock; roll it back (or dispose the holder) to release it.</summary>
    public DbTransaction Transaction { get; }

    /// <summary>Opens a non-pooled connection to the database of <paramref name="path"/> and takes the write lock.</summary>
    public static async Task<WriteLockHolder> TakeAsync(string path)
    {
        var connection = await DatabaseProbe.OpenAsync(path);
        try
        {
#if POSTGRES
            var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = PostgresDialect.WriteLockKey }, transaction);
#else
            var transaction = connection.BeginTransaction(deferred: false);
#endif
            return new WriteLockHolder(connection, transaction);
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
