namespace Gateway.Core.Dispatch;

/// <summary>One call of the gateway. Knows nothing of sockets or frames.</summary>
/// <typeparam name="TRequest">The payload type, bound case-insensitively from the request's JSON.</typeparam>
/// <typeparam name="TResponse">What a success answers with.</typeparam>
public interface IHandler<in TRequest, TResponse>
{
    /// <summary>The function name clients send in <c>n</c>, in its canonical spelling.</summary>
    static abstract string Name { get; }

    /// <summary>Who may call it.</summary>
    static abstract Access Requires { get; }

    /// <summary>What it does: reads, writes (and so takes ClientRequestId and DryRun), logs in or out, or runs a batch.</summary>
    static abstract CallKind Kind { get; }

    /// <summary>Runs the call; an expected failure throws <see cref="Protocol.GatewayException"/>.</summary>
    ValueTask<TResponse> HandleAsync(TRequest request, CallContext call, CancellationToken ct);
}
