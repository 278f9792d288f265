using System.ComponentModel;
using System.Diagnostics;
using Dapper;

namespace Gateway.Tests.Support;

/// <summary>Edits a gateway's SQLite file behind its back, as an operator with shell access would: with the sqlite3 CLI (in the Postgres build, its PostgreSQL database).</summary>
public static class SqliteCli
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs <paramref name="sql"/> on the file with <c>sqlite3</c>; where the CLI is not installed, through
    /// Microsoft.Data.Sqlite instead. Returns which of the two made the edit.
    /// </summary>
    public static async Task<string> EditAsync(string path, string sql)
    {
        if (TestProvider.IsPostgres)
        {
            // The Postgres build edits the folder's PostgreSQL database behind the gateway's back, as psql would.
            await using var pg = await DatabaseProbe.OpenAsync(path);
            await pg.ExecuteAsync(sql);
            return "Npgsql (PostgreSQL)";
        }
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(sql);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            await using var db = await DatabaseProbe.OpenSqliteAsync(path);
            await db.ExecuteAsync(sql);
            return "Microsoft.Data.Sqlite (no sqlite3 on PATH)";
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(Deadline);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"sqlite3 did not exit within {Deadline}");
            }
            Assert.That(process.ExitCode, Is.Zero, $"sqlite3 failed: {await stderr}{await stdout}");
            return "the sqlite3 CLI";
        }
    }
}
