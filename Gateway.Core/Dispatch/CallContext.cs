namespace Gateway.Core.Dispatch;

/// <summary>What a handler knows about the call beyond its payload.</summary>
public sealed class CallContext
{
    /// <summary>The transport the call arrived on.</summary>
    public required IConnection Connection { get; init; }

    /// <summary>The canonical function name.</summary>
    public required string Function { get; init; }

    /// <summary>The frame's <c>i</c> (0 over HTTP).</summary>
    public long Sequence { get; init; }
}
