using Gateway.Core.Protocol;

namespace Gateway.Core.Dispatch;

/// <summary>What a call answered: the payload JSON and the errorcode it carries (0 on success).</summary>
/// <param name="Payload">The response payload as UTF-8 JSON.</param>
/// <param name="Code">The errorcode, for logs and for transports that map it to a status.</param>
public readonly record struct CallOutcome(byte[] Payload, ErrorCode Code);
