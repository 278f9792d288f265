using System.Text.Json.Serialization;

namespace Gateway.Core.Protocol;

/// <summary>The standard response <c>{result, errormsg, errorcode, detail}</c>, lower-case as deployed gateways send it.</summary>
public sealed record StandardResponse
{
    /// <summary>The success reply: nulls, not empty strings.</summary>
    public static StandardResponse Ok { get; } = new() { Result = true };

    /// <summary>True when the call was done.</summary>
    [JsonPropertyName("result")]
    public bool Result { get; init; }

    /// <summary>One of the fixed texts of <c>Dispatch.Failures</c>, or null on success.</summary>
    [JsonPropertyName("errormsg")]
    public string? ErrorMsg { get; init; }

    /// <summary>The numeric errorcode, 0 on success.</summary>
    [JsonPropertyName("errorcode")]
    public int ErrorCode { get; init; }

    /// <summary>What was wrong, in words a person can act on; null on success.</summary>
    [JsonPropertyName("detail")]
    public string? Detail { get; init; }
}
