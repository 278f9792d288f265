using Dapper;
using Microsoft.Data.Sqlite;

namespace Gateway.Core.Storage;

/// <summary>
/// Offline and online care of the SQLite file: a consistent copy, and SQLite's own integrity check. A PostgreSQL database
/// has its own tools (pg_dump, amcheck); the backup refuses it and the check has nothing to add there.
/// </summary>
public static class Maintenance
{
    // One read transaction: the copy is the database as of one commit, and writers go on meanwhile (WAL).
    private const string BackupSql = "VACUUM INTO @Target";
    private const string IntegritySql = "PRAGMA integrity_check";

    /// <summary>
    /// Writes a consistent copy of <paramref name="database"/> to <paramref name="target"/>, created owner-only (it
    /// holds password hashes) and flushed to disk; refuses a target that exists.
    /// </summary>
    public static async Task BackupAsync(Database database, string target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseProvider.Sqlite)
            throw new InvalidOperationException($"admin backup copies a SQLite file; back up {database.Describe} with pg_dump");
        var path = Path.GetFullPath(target);
        try
        {
            // VACUUM INTO fills an empty file as it is, so the copy keeps the mode it was created with.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = Database.OwnerOnly;
            await new FileStream(path, options).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(File.Exists(path) ? $"backup file {path} already exists" : $"cannot create backup file {path}: {e.Message}", e);
        }
        try
        {
            await using (var db = await database.OpenAsync(ct).ConfigureAwait(false))
                await db.ExecuteAsync(new CommandDefinition(BackupSql, new { Target = path }, cancellationToken: ct)).ConfigureAwait(false);
            await using var copy = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            copy.Flush(flushToDisk: true);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Null when SQLite's integrity check passes; otherwise the first problem it reports, on one line (a page too
    /// damaged to check makes SQLite fail the check itself with SQLITE_CORRUPT, which is reported the same way).
    /// </summary>
    public static async Task<string?> FirstIntegrityProblemAsync(Database database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Provider != DatabaseProvider.Sqlite)
            return null;
        await using var db = await database.OpenAsync(ct).ConfigureAwait(false);
        string first;
        try
        {
            first = await db.QueryFirstAsync<string>(new CommandDefinition(IntegritySql, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            return e.Message;
        }
        if (first == "ok")
            return null;
        return first.Replace("*** in database main ***", "", StringComparison.Ordinal).Trim().ReplaceLineEndings("; ");
    }

    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
}
