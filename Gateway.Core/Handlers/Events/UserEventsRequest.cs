using System.Text.Json.Serialization;

namespace Gateway.Core.Handlers.Events;

/// <summary><c>{"UserId"?, "FromSequence"?}</c>: whose events (absent: the caller's own; 0: every user's, for an Operator) and where to resume.</summary>
public sealed class UserEventsRequest : Dispatch.IOmsRequest
{
    /// <summary>The user followed; absent or null means the caller, 0 every user.</summary>
    public int? UserId { get; set; }

    /// <summary>Resume after this Sequence: the events after it are replayed from the log before the live ones.</summary>
    public long? FromSequence { get; set; }

    /// <summary>Accepted on every call; absent or 0 means 1.</summary>
    public int? OMSId { get; set; }
}

/// <summary>The reply to SubscribeUserEvents: the standard response and the newest Sequence of the whole log now.</summary>
public sealed class SubscribeReply
{
    /// <summary>Always true.</summary>
    [JsonPropertyName("result")]
    public bool Result { get; init; } = true;

    /// <summary>Null on success.</summary>
    [JsonPropertyName("errormsg")]
    public string? ErrorMsg { get; init; }

    /// <summary>0 on success.</summary>
    [JsonPropertyName("errorcode")]
    public int ErrorCode { get; init; }

    /// <summary>Null on success.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }

    /// <summary>The newest audit Id when the subscription started: live events come after it.</summary>
    public long Sequence { get; init; }
}
