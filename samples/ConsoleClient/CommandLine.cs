namespace ConsoleClient;

/// <summary>The program's arguments: a command, its operands, and the connection and login options.</summary>
internal sealed record CommandLine(string? Command, IReadOnlyList<string> Operands, Uri Url, string? User, string? Password,
    string? ApiKey, string? Secret, int? UserId, bool Raw, bool KeepGoing, TimeSpan Timeout, bool DryRun = false, string? RequestIdPrefix = null, long? From = null)
{
    /// <summary>The longest --request-id-prefix: a ClientRequestId is at most 64 characters, and the line number follows.</summary>
    public const int MaxPrefixLength = 58;

    public const string Usage = """
        usage: ConsoleClient [options] call <Function> [json]
               ConsoleClient [options] run <file | ->        one call per line: Function {json} [-> VAR=Key ...]
               ConsoleClient [options] watch [UserId] [--from N]   print the events of a user (0: every user; none: yourself),
                                                     one line each, until Ctrl+C; --from N first replays those after Sequence N
               ConsoleClient [options]                       an interactive prompt (help, help <Function>, exit)
        options:
          --url <ws-url>            default ws://127.0.0.1:8080/WSGateway (or GATEWAY_URL)
          --user <name> --password <password>     log in first (or GATEWAY_USER / GATEWAY_PASSWORD)
          --api-key <key> --secret <secret> --user-id <id>   log in with a signed API-key login instead
          --raw                     print whole reply frames instead of payloads
          --keep-going              run: go on after a failed line
          --timeout <seconds>       per call, default 30
          --dry-run                 every write call carries "DryRun":true: it runs, answers, and is rolled back
          --request-id-prefix <P>   every write call carries "ClientRequestId":"<P><line number>" (call: <P>1), so a
                                    script run again with the same prefix after a failure skips what was done
        exit codes: 0 success, 1 a call failed (result:false or an error frame), 2 usage or connection error, 130 cancelled
        """;

    /// <summary>Parses <paramref name="args"/>; a usage error is returned as text.</summary>
    public static (CommandLine? Parsed, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? command = null, user = Environment.GetEnvironmentVariable("GATEWAY_USER"), password = Environment.GetEnvironmentVariable("GATEWAY_PASSWORD");
        string? apiKey = null, secret = null, url = Environment.GetEnvironmentVariable("GATEWAY_URL");
        int? userId = null;
        bool raw = false, keepGoing = false, dryRun = false;
        string? prefix = null;
        long? from = null;
        var timeout = 30.0;
        var operands = new List<string>();
        for (var index = 0; index < args.Count; index++)
        {
            var arg = args[index];
            string Value() => index + 1 < args.Count ? args[++index] : throw new ArgumentException($"{arg} needs a value");
            try
            {
                switch (arg)
                {
                    case "--url": url = Value(); break;
                    case "--user": user = Value(); break;
                    case "--password": password = Value(); break;
                    case "--api-key": apiKey = Value(); break;
                    case "--secret": secret = Value(); break;
                    case "--user-id": userId = int.TryParse(Value(), out var id) ? id : throw new ArgumentException("--user-id must be a number"); break;
                    case "--timeout": timeout = double.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 ? t : throw new ArgumentException("--timeout must be a positive number of seconds"); break;
                    case "--raw": raw = true; break;
                    case "--keep-going": keepGoing = true; break;
                    case "--dry-run": dryRun = true; break;
                    case "--request-id-prefix": prefix = Value(); break;
                    case "--from": from = long.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out var f) && f >= 0 ? f : throw new ArgumentException("--from must be a Sequence: a whole number, 0 or more"); break;
                    case "-h" or "--help": return (null, Usage);
                    default:
                        if (arg.StartsWith("--", StringComparison.Ordinal))
                            return (null, $"unknown option {arg}\n{Usage}");
                        if (command is null)
                            command = arg;
                        else
                            operands.Add(arg);
                        break;
                }
            }
            catch (ArgumentException e)
            {
                return (null, e.Message);
            }
        }
        if (!Uri.TryCreate(url ?? "ws://127.0.0.1:8080/WSGateway", UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
            return (null, $"--url must be a ws:// or wss:// address, not '{url}'");
        if (apiKey is not null && (secret is null || userId is null))
            return (null, "--api-key needs --secret and --user-id too");
        if (prefix is not null && (prefix.Length is 0 or > MaxPrefixLength || !prefix.All(c => c is >= ' ' and <= '~')))
            return (null, $"--request-id-prefix must be 1 to {MaxPrefixLength} printable ASCII characters");
        return (new CommandLine(command, operands, uri, user, password, apiKey, secret, userId, raw, keepGoing, TimeSpan.FromSeconds(timeout), dryRun, prefix, from), null);
    }
}
