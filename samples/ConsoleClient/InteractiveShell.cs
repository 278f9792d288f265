using System.Text.Json;
using Gateway.Client;

namespace ConsoleClient;

/// <summary>The prompt: the script syntax one line at a time, plus <c>help</c>, <c>help &lt;Function&gt;</c> and <c>exit</c>.</summary>
internal sealed class InteractiveShell(GatewayClient client, Printer printer, string? requestIdPrefix = null)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var functions = await KnownFunctionsAsync(ct).ConfigureAwait(false);
        var editor = new LineEditor(() => functions.Concat(["help", "exit"]));
        var runner = new ScriptRunner(client, printer, keepGoing: true, requestIdPrefix);
        Console.Out.WriteLine("Connected. Type a call as: Function {json}   help [Function]   exit");
        var lineNumber = 0;
        // Reading the console blocks, so the read runs on the pool and Ctrl+C (which cancels ct) ends the wait for it.
        while (await Task.Run(() => editor.ReadLine("gateway> "), ct).WaitAsync(ct).ConfigureAwait(false) is { } text)
        {
            lineNumber++;
            var line = text.Trim();
            if (line is "exit" or "quit")
                break;
            if (line == "help")
                Console.Out.WriteLine(string.Join(Environment.NewLine, functions.Order(StringComparer.Ordinal)));
            else if (line.StartsWith("help ", StringComparison.Ordinal))
                Console.Out.WriteLine(FunctionHelp.Describe(line[5..].Trim()));
            else
                await runner.RunLineAsync(text, lineNumber, ct).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    // The gateway's own list when the caller may read it (function names and umbrellas), otherwise the documented calls.
    private async Task<IReadOnlyList<string>> KnownFunctionsAsync(CancellationToken ct)
    {
        var reply = await client.SendAsync("GetAvailablePermissionList", "{}", ct).ConfigureAwait(false);
        return !reply.Failed && reply.Payload.ValueKind == JsonValueKind.Array
            ? reply.Payload.EnumerateArray().Select(e => e.GetString() ?? "").Where(n => n.Length > 0).Concat(FunctionHelp.Functions).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : FunctionHelp.Functions.ToList();
    }
}
