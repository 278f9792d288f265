using System.Net.WebSockets;
using ConsoleClient;
using Gateway.Client;

// The operator client: `call`, `run` a script, or an interactive prompt. See CommandLine.Usage.
var (options, usageError) = CommandLine.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(usageError);
    return usageError == CommandLine.Usage ? ExitCodes.Success : ExitCodes.UsageOrConnection;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Let the program unwind: close the socket and exit with 130 rather than being killed mid-write.
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var printer = new Printer(options.Raw, labelled: options.Command == "run");
    switch (options.Command, options.Operands.Count)
    {
        case ("call", 1 or 2):
        {
            await using var client = await Connector.ConnectAsync(options, cancel.Token);
            await using var logOut = Connector.LogOutOnExit(client, options.Timeout);
            var (function, payload) = (options.Operands[0], options.Operands.Count == 2 ? options.Operands[1] : "{}");
            var reply = options.RequestIdPrefix is { } prefix && WriteCalls.Takes(function)
                ? await client.SendOnceAsync(function, payload, prefix + "1", cancel.Token)
                : await client.SendAsync(function, payload, cancel.Token);
            printer.Reply(reply);
            return reply.Failed ? ExitCodes.CallFailed : ExitCodes.Success;
        }
        case ("run", 1):
        {
            var name = options.Operands[0];
            var label = name == "-" ? "stdin" : Path.GetFileName(name);
            // The whole script is read and checked before connecting, so a mistake in it sends nothing, not even the login.
            var text = name == "-" ? await Console.In.ReadToEndAsync(cancel.Token) : await File.ReadAllTextAsync(name, cancel.Token);
            var script = text.ReplaceLineEndings("\n").Split('\n');
            if (ScriptCheck.FirstProblem(script) is { } problem)
            {
                Printer.Error($"{label} {problem}; nothing was sent");
                return ExitCodes.UsageOrConnection;
            }
            await using var client = await Connector.ConnectAsync(options, cancel.Token);
            await using var logOut = Connector.LogOutOnExit(client, options.Timeout);
            return await new ScriptRunner(client, printer, options.KeepGoing, options.RequestIdPrefix).RunAsync(script, label, cancel.Token);
        }
        case ("watch", 0 or 1):
        {
            if (!WatchCommand.TryUserId(options.Operands, out var userId))
            {
                Printer.Error($"watch takes a UserId (a whole number, 0 for every user), not '{options.Operands[0]}'");
                return ExitCodes.UsageOrConnection;
            }
            await using var client = await Connector.ConnectAsync(options, cancel.Token);
            await using var logOut = Connector.LogOutOnExit(client, options.Timeout);
            return await WatchCommand.RunAsync(client, userId, options.From, options.Raw, cancel.Token);
        }
        case (null, 0):
        {
            await using var client = await Connector.ConnectAsync(options, cancel.Token);
            await using var logOut = Connector.LogOutOnExit(client, options.Timeout);
            return await new InteractiveShell(client, printer, options.RequestIdPrefix).RunAsync(cancel.Token);
        }
        default:
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return ExitCodes.UsageOrConnection;
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("cancelled");
    return ExitCodes.Cancelled;
}
catch (GatewayLoginException e)
{
    Printer.Error($"login refused: {e.Message}");
    return ExitCodes.CallFailed;
}
catch (Exception e) when (e is WebSocketException or TimeoutException or GatewayConnectionException or IOException or UnauthorizedAccessException
    or Websocket.Client.Exceptions.WebsocketException)
{
    Printer.Error(e.Message);
    return ExitCodes.UsageOrConnection;
}
