using Gateway.Client;

namespace ConsoleClient;

/// <summary>
/// Runs an operator script: one call per line, stopping at the first failure unless told to keep going. With a
/// request-id prefix each write call carries <c>ClientRequestId</c> = prefix + line number, so the same script run
/// again with the same prefix answers the lines already done from the gateway's stored replies and goes on.
/// </summary>
internal sealed class ScriptRunner(GatewayClient client, Printer printer, bool keepGoing, string? requestIdPrefix = null)
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public async Task<int> RunAsync(IReadOnlyList<string> script, string name, CancellationToken ct)
    {
        int lineNumber = 0, calls = 0, failed = 0;
        int? firstFailure = null;
        foreach (var text in script)
        {
            lineNumber++;
            var (ran, ok) = await RunLineAsync(text, lineNumber, ct).ConfigureAwait(false);
            if (!ran)
                continue;
            calls++;
            if (ok)
                continue;
            failed++;
            firstFailure ??= lineNumber;
            if (!keepGoing)
            {
                Console.Out.WriteLine($"{name}: stopped at line {lineNumber} after {Calls(calls)} ({calls - failed} succeeded, {failed} failed)");
                return ExitCodes.CallFailed;
            }
        }
        Console.Out.WriteLine(failed == 0
            ? $"{name}: {Calls(calls)}, all succeeded"
            : $"{name}: {Calls(calls)}, {calls - failed} succeeded, {failed} failed (first at line {firstFailure})");
        return failed == 0 ? ExitCodes.Success : ExitCodes.CallFailed;
    }

    private static string Calls(int count) => count == 1 ? "1 call" : $"{count} calls";

    /// <summary>Runs one line; (false, _) for a blank line or comment, (true, ok) for a call.</summary>
    public async Task<(bool Ran, bool Ok)> RunLineAsync(string text, int lineNumber, CancellationToken ct)
    {
        ScriptLine? line;
        try
        {
            line = ScriptLine.Parse(text, _variables);
        }
        catch (FormatException e)
        {
            Printer.Error($"line {lineNumber}: {e.Message}");
            return (true, false);
        }
        if (line is null)
            return (false, true);

        var reply = requestIdPrefix is not null && WriteCalls.Takes(line.Function)
            ? await client.SendOnceAsync(line.Function, line.Payload, requestIdPrefix + lineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false)
            : await client.SendAsync(line.Function, line.Payload, ct).ConfigureAwait(false);
        printer.Reply(reply, lineNumber);
        if (reply.Failed)
            return (true, false);
        try
        {
            Captures.Apply(line, reply.Payload, _variables);
        }
        catch (FormatException e)
        {
            Printer.Error($"line {lineNumber}: {e.Message}");
            return (true, false);
        }
        return (true, true);
    }
}
