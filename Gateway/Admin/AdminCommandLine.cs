namespace Gateway.Admin;

/// <summary>
/// <c>Gateway admin &lt;command&gt; [operand] [--Gateway:DatabasePath=...]</c>: offline maintenance on the configured
/// database (same appsettings.json, environment and command-line settings as the gateway). Exit codes: 0 done,
/// 1 refused or failed (one line on stderr saying why), 2 usage.
/// </summary>
internal static class AdminCommandLine
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    private static readonly AdminCommand[] Commands =
    [
        new ResetPasswordCommand(),
        new UnlockCommand(),
        new AddOperatorCommand(),
        new BackupCommand(),
        new VerifyAuditCommand(),
        new MigrateCommand(),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var (words, settings) = Split(args);
        if (words is ["help"] || args.Any(a => a is "--help" or "-h"))
        {
            await Console.Out.WriteAsync(UsageText()).ConfigureAwait(false);
            return Done;
        }
        var command = words.Count > 0 ? Commands.FirstOrDefault(c => c.Name == words[0]) : null;
        var problem = words.Count == 0 ? "admin needs a command"
            : command is null ? $"admin has no command '{words[0]}'"
            : words.Count != (command.Operand is null ? 1 : 2) ? $"admin {command.Name} takes {(command.Operand is null ? "no operand" : "one operand, " + command.Operand)}"
            : null;
        if (problem is not null)
        {
            await Console.Error.WriteAsync($"{problem}\n{UsageText()}").ConfigureAwait(false);
            return Usage;
        }

        try
        {
            var builder = GatewayApp.CreateBuilder([.. settings]);
            await using var admin = await AdminContext.OpenAsync(builder, command!, CancellationToken.None).ConfigureAwait(false);
            var done = await command!.RunAsync(admin, words.Count > 1 ? words[1] : null, CancellationToken.None).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(done).ConfigureAwait(false);
            return Done;
        }
        catch (AdminRefusedException e)
        {
            await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return Refused;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or InvalidOperationException || Core.Storage.DbWriter.IsBusy(e))
        {
            await Console.Error.WriteLineAsync($"admin {command!.Name} failed: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return Refused;
        }
    }

    // Words are the command and its operand; --Key=Value and --Key Value are settings, as the gateway takes them.
    private static (List<string> Words, List<string> Settings) Split(string[] args)
    {
        var words = new List<string>();
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                words.Add(args[i]);
                continue;
            }
            settings.Add(args[i]);
            if (!args[i].Contains('=', StringComparison.Ordinal) && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                settings.Add(args[++i]);
        }
        return (words, settings);
    }

    private static string UsageText()
    {
        var lines = Commands.Select(c => $"  {(c.Name + " " + c.Operand).TrimEnd(),-22}  {c.Summary}");
        return "usage: Gateway admin <command> [operand] [--Gateway:DatabasePath=<file>]\n"
            + string.Join('\n', lines) + "\n"
            + "Every command but backup and verify-audit refuses while a gateway runs on the database.\n"
            + "Exit codes: 0 done, 1 refused or failed, 2 usage.\n";
    }
}
