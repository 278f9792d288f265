using System.Text.Json.Serialization;

namespace Gateway.Core.Protocol;

/// <summary>
/// A reply that is the standard response plus fields of its own: <c>result</c>, <c>errormsg</c>, <c>errorcode</c> and
/// <c>detail</c> come first, in that order, whatever the subclass declares.
/// </summary>
public abstract class StandardReply
{
    /// <summary>True when the call was done.</summary>
    [JsonPropertyName("result")]
    [JsonPropertyOrder(-4)]
    public bool Result { get; init; } = true;

    /// <summary>Null on success.</summary>
    [JsonPropertyName("errormsg")]
    [JsonPropertyOrder(-3)]
    public string? ErrorMsg { get; init; }

    /// <summary>0 on success.</summary>
    [JsonPropertyName("errorcode")]
    [JsonPropertyOrder(-2)]
    public int ErrorCode { get; init; }

    /// <summary>Null on success.</summary>
    [JsonPropertyName("detail")]
    [JsonPropertyOrder(-1)]
    public string? Detail { get; init; }
}
