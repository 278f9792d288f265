using System.Text.Json;
using Gateway.Client;

namespace ConsoleClient;

/// <summary>Writes replies: the payload as indented JSON (or the whole frame with --raw) on stdout, failures on stderr.</summary>
internal sealed class Printer(bool raw)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Reply(GatewayReply reply, string where = "")
    {
        if (raw)
            Console.Out.WriteLine(reply.Frame);
        else
            Console.Out.WriteLine(JsonSerializer.Serialize(reply.Payload, Indented));
        if (reply.Failed)
            Console.Error.WriteLine($"error: {where}{new GatewayCallException(reply).Message}");
    }

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");
}
