using Gateway.Core.Dispatch;

namespace Gateway.Core.Handlers.Service;

/// <summary>Ping: answers <c>{"msg":"PONG"}</c>, which clients read as a string.</summary>
public sealed class PingHandler : IHandler<EmptyRequest, PingResponse>
{
    private static readonly PingResponse Pong = new("PONG");

    /// <inheritdoc />
    public static string Name => "Ping";

    /// <inheritdoc />
    public static Access Requires => Access.Public;

    /// <inheritdoc />
    public static CallKind Kind => CallKind.Read;

    /// <inheritdoc />
    public ValueTask<PingResponse> HandleAsync(EmptyRequest request, CallContext call, CancellationToken ct) => ValueTask.FromResult(Pong);
}

/// <summary>Ping's answer.</summary>
/// <param name="Msg">Always "PONG".</param>
public sealed record PingResponse([property: System.Text.Json.Serialization.JsonPropertyName("msg")] string Msg);
