using System.Text.Json;
using Gateway.Client;

namespace ConsoleClient;

/// <summary>
/// Writes replies: the payload as indented JSON (or the whole frame with --raw) on stdout, failures on stderr. A
/// labelled printer (the <c>run</c> command) starts each payload with its script line and function, <c>line 3 Ping: </c>.
/// </summary>
internal sealed class Printer(bool raw, bool labelled = false)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Reply(GatewayReply reply, int? line = null)
    {
        if (raw)
            Console.Out.WriteLine(reply.Frame);
        else
            Console.Out.WriteLine((labelled && line is not null ? $"line {line} {reply.N}: " : "") + JsonSerializer.Serialize(reply.Payload, Indented));
        if (reply.Failed)
            Console.Error.WriteLine($"error: {(line is null ? "" : $"line {line}: ")}{new GatewayCallException(reply).Message}");
    }

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");
}
