namespace Gateway.Core.Protocol;

/// <summary>The frame's <c>m</c> value.</summary>
public enum MessageType
{
    /// <summary>A call from the client.</summary>
    Request = 0,
    /// <summary>The gateway's answer to a call.</summary>
    Reply = 1,
    /// <summary>A subscription request from the client.</summary>
    Subscribe = 2,
    /// <summary>An event pushed to a subscriber.</summary>
    Event = 3,
    /// <summary>An unsubscribe request from the client.</summary>
    Unsubscribe = 4,
    /// <summary>A frame-level error: the request never reached a handler.</summary>
    Error = 5,
}
