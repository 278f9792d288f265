using System.Text.Json;
using Websocket.Client;

// The first cut of the operator client: `call <Function> [json]` sends one frame and prints the reply payload.
// Exit codes: 0 success, 1 result:false or an error frame, 2 usage or connection error.
if (args.Length is < 2 or > 3 || args[0] != "call")
{
    await Console.Error.WriteLineAsync("usage: ConsoleClient call <Function> [json]   (GATEWAY_URL overrides ws://127.0.0.1:8080/WSGateway)");
    return 2;
}

var url = new Uri(Environment.GetEnvironmentVariable("GATEWAY_URL") ?? "ws://127.0.0.1:8080/WSGateway");
var payload = args.Length == 3 ? args[2] : "{}";
using var socket = new WebsocketClient(url) { IsReconnectionEnabled = false, ReconnectTimeout = null };
var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
using var subscription = socket.MessageReceived.Subscribe(message => reply.TrySetResult(message.Text ?? ""));
try
{
    await socket.StartOrFail();
    var frame = JsonSerializer.Serialize(new Dictionary<string, object> { ["m"] = 0, ["i"] = 2, ["n"] = args[1], ["o"] = payload });
    await socket.SendInstant(frame);
    using var root = JsonDocument.Parse(await reply.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    var body = root.RootElement.GetProperty("o").GetString() ?? "{}";
    using var response = JsonDocument.Parse(body);
    Console.WriteLine(JsonSerializer.Serialize(response.RootElement, new JsonSerializerOptions { WriteIndented = true }));
    var failed = root.RootElement.GetProperty("m").GetInt32() == 5
        || (response.RootElement.ValueKind == JsonValueKind.Object && response.RootElement.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.False);
    return failed ? 1 : 0;
}
catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or TimeoutException or JsonException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 2;
}
