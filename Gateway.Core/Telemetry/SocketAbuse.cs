namespace Gateway.Core.Telemetry;

/// <summary>Why the gateway closed a socket for abuse.</summary>
public enum SocketAbuse
{
    /// <summary>Far over its request rate for too long (1008): <c>rate</c>.</summary>
    Rate,
    /// <summary>A message over the size limit (1009): <c>size</c>.</summary>
    Size,
    /// <summary>Its replies stayed unread past the stall timeout (1008): <c>stall</c>.</summary>
    Stall,
}
