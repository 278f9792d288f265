using Gateway.Core.Protocol;

namespace Gateway.Core.Dispatch;

/// <summary>How a call ended, as far as a transport needs to know to pick its answer (a frame type, an HTTP status).</summary>
public enum CallStatus
{
    /// <summary>A handler answered, with success or with its own failure: a reply frame, HTTP 200.</summary>
    Answered,
    /// <summary>No function has this name: an m=5 error frame, HTTP 404.</summary>
    UnknownFunction,
    /// <summary>A private call without a live session: a reply frame, HTTP 401.</summary>
    NotLoggedIn,
}

/// <summary>What a call answered: the payload JSON, the errorcode it carries (0 on success) and how it ended.</summary>
/// <param name="Payload">The response payload as UTF-8 JSON.</param>
/// <param name="Code">The errorcode, for logs and for transports that map it to a status.</param>
/// <param name="Status">How it ended.</param>
public readonly record struct CallOutcome(byte[] Payload, ErrorCode Code, CallStatus Status = CallStatus.Answered);

/// <summary>What a call run through <see cref="Dispatcher.RunAsync{TState, T}"/> returned, or why it failed.</summary>
/// <typeparam name="T">What the work returns.</typeparam>
/// <param name="Value">The work's result; default when it failed.</param>
/// <param name="Failure">The failure a client sees (a fault is already turned into errorcode 102); null on success.</param>
public readonly record struct CallResult<T>(T? Value, GatewayException? Failure);
