using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;

namespace Gateway.Bench;

/// <summary>
/// The SignalR comparison: a minimal hub whose one method takes (name, payload) and returns what the gateway would,
/// over WebSockets only and SignalR's JSON protocol. It runs as its own process (serve-signalr) so its CPU is read
/// from /proc exactly as the gateway's and the echo's are.
/// </summary>
internal static class SignalRServer
{
    public const string Path = "/hub";

    public static async Task<int> ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Defaults otherwise: one invocation at a time per connection, run inline in the read loop, which is the
        // cheapest path for a method that completes synchronously.
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<CallHub>(Path, o => o.Transports = HttpTransportType.WebSockets);
        await app.StartAsync();
        Console.WriteLine($"Now listening on: {app.Urls.First()}");
        await app.WaitForShutdownAsync();
        return 0;
    }
}

/// <summary>The hub: Ping answers <c>{"msg":"PONG"}</c> as the gateway does; any other name gets the echo's fixed standard response.</summary>
internal sealed class CallHub : Hub
{
    private static readonly PongReply Pong = new("PONG");
    private static readonly StandardResponse Done = new(true, null, 0, null);

    // object, so SignalR writes the runtime type: each reply carries only its own fields, as the gateway's do.
    // An instance method because SignalR only binds a hub's instance methods.
#pragma warning disable CA1822
    public object Call(string name, string payload) => name == "Ping" ? Pong : Done;
#pragma warning restore CA1822
}

// SignalR's JSON protocol names properties in camelCase by default, which gives the gateway's wire names.
internal sealed record PongReply(string Msg);

internal sealed record StandardResponse(bool Result, string? Errormsg, int Errorcode, string? Detail);
