namespace Gateway.Core.Dispatch;

/// <summary>
/// The payload of a call that takes no keys (<c>OMSId</c> aside). protocol.md 2.2 lets <c>o</c> be an array; an array
/// names no keys, so for such a call it binds as <c>{}</c> instead of answering 100.
/// </summary>
public interface IKeylessRequest : IOmsRequest;

internal static class KeylessRequest
{
    /// <summary>True when <typeparamref name="TRequest"/> takes no keys and <paramref name="payload"/> is a JSON array.</summary>
    public static bool IsArrayFor<TRequest>(ReadOnlySpan<byte> payload) =>
        typeof(TRequest).IsAssignableTo(typeof(IKeylessRequest)) && payload.TrimStart(" \t\r\n"u8) is [(byte)'[', ..];
}
