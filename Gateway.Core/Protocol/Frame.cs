namespace Gateway.Core.Protocol;

/// <summary>
/// A decoded request frame: <c>{m, i, n, o}</c> with <c>o</c> already unwrapped to payload JSON. A value, not an object:
/// every frame a socket reads would otherwise be one more allocation for the collector.
/// </summary>
/// <param name="Type">The frame's <c>m</c>.</param>
/// <param name="Sequence">The frame's <c>i</c>, echoed verbatim in the reply.</param>
/// <param name="Function">The frame's <c>n</c>, as the client spelled it.</param>
/// <param name="Payload">The payload as UTF-8 JSON text; <c>{}</c> when <c>o</c> was empty, null or missing.</param>
public readonly record struct Frame(MessageType Type, long Sequence, string Function, ReadOnlyMemory<byte> Payload);

/// <summary>A frame that could not be decoded, with whatever of <c>i</c> and <c>n</c> could be read.</summary>
/// <param name="Sequence">The <c>i</c> that could be read, else 0.</param>
/// <param name="Function">The <c>n</c> that could be read, else "".</param>
/// <param name="Detail">Which key was wrong and how.</param>
public sealed record FrameError(long Sequence, string Function, string Detail);
