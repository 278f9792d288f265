using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Protocol;

namespace Gateway.Core.Dispatch;

/// <summary>A function of the handler table: a call descriptor that also knows how to run itself from payload bytes.</summary>
public abstract class HandlerDescriptor(string name, Access requires) : CallDescriptor(name, requires)
{
    /// <summary>What the call does (protocol.md section 9 treats write, login and batch calls apart).</summary>
    public abstract CallKind Kind { get; }

    /// <summary>True when the payload carries a password, so HTTP takes it only from a POST body (<see cref="IPostOnlyRequest"/>).</summary>
    public abstract bool PostOnly { get; }

    /// <summary>Binds the payload, runs the handler and serializes its answer.</summary>
    public abstract ValueTask<byte[]> InvokeAsync(ReadOnlyMemory<byte> payload, CallContext call, CancellationToken ct);
}

internal sealed class HandlerDescriptor<THandler, TRequest, TResponse>(
    THandler handler, JsonTypeInfo<TRequest> requestJson, JsonTypeInfo<TResponse> responseJson)
    : HandlerDescriptor(THandler.Name, THandler.Requires)
    where THandler : IHandler<TRequest, TResponse>
    where TRequest : class, new()
{
    public override CallKind Kind => THandler.Kind;

    public override bool PostOnly => typeof(TRequest).IsAssignableTo(typeof(IPostOnlyRequest));

    public override async ValueTask<byte[]> InvokeAsync(ReadOnlyMemory<byte> payload, CallContext call, CancellationToken ct)
    {
        var request = Bind(payload.Span);
        var response = await handler.HandleAsync(request, call, ct).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(response, responseJson);
    }

    private TRequest Bind(ReadOnlySpan<byte> payload)
    {
        TRequest request;
        if (KeylessRequest.IsArrayFor<TRequest>(payload))
            return SharedEmptyRequest<TRequest>.Instance ?? new TRequest();
        if (SharedEmptyRequest<TRequest>.Instance is { } shared && payload.SequenceEqual("{}"u8))
            return shared;
        try
        {
            request = JsonSerializer.Deserialize(payload, requestJson) ?? new TRequest();
        }
        catch (JsonException e)
        {
            throw new GatewayException(ErrorCode.InvalidRequest, BindingErrors.Describe(e, payload, requestJson, Name));
        }
        if (request is IOmsRequest { OMSId: not (null or 0 or 1) } oms)
            throw new GatewayException(ErrorCode.ResourceNotFound, $"OMSId {oms.OMSId} does not exist; this gateway hosts OMS 1");
        return request;
    }
}
