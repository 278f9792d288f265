using System.Globalization;
using Gateway.Client;

namespace ConsoleClient;

/// <summary><c>watch [UserId] [--from N]</c>: one line per event, <c>Sequence Name {payload}</c>, until Ctrl+C.</summary>
internal static class WatchCommand
{
    public static bool TryUserId(IReadOnlyList<string> operands, out int? userId)
    {
        userId = null;
        if (operands.Count == 0)
            return true;
        if (!int.TryParse(operands[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        userId = id;
        return true;
    }

    public static async Task<int> RunAsync(GatewayClient client, int? userId, long? from, bool raw, CancellationToken ct)
    {
        var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await using var feed = await client.SubscribeUserEventsAsync(e => Console.Out.WriteLine(raw ? e.Frame : Line(e)), from, userId, ct).ConfigureAwait(false);
            feed.Failed += (_, e) => failed.TrySetResult(e);
            await Console.Error.WriteLineAsync($"watching {(userId switch { null => "your events", 0 => "every user's events", _ => $"the events of user {userId}" })} after Sequence {feed.LastSequence}; Ctrl+C to stop").ConfigureAwait(false);
            var error = await failed.Task.WaitAsync(ct).ConfigureAwait(false);
            Printer.Error($"the subscription ended: {error.Message}");
            return error is GatewayCallException ? ExitCodes.CallFailed : ExitCodes.UsageOrConnection;
        }
        catch (GatewayCallException e)
        {
            Printer.Error(e.Message);
            return ExitCodes.CallFailed;
        }
    }

    private static string Line(GatewayReply e)
    {
        var sequence = e.Payload.TryGetProperty("Sequence", out var s) ? s.GetRawText() : "-";
        return $"{sequence} {e.N} {e.O}";
    }
}
