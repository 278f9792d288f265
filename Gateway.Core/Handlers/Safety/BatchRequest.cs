using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Core.Protocol;

namespace Gateway.Core.Handlers.Safety;

/// <summary><c>{"Calls":[{"n","o"}, ...],"Atomic":false,"DryRun":false}</c> (protocol.md 9.3).</summary>
public sealed class BatchRequest
{
    /// <summary>The calls, 1 to <see cref="BatchHandler.MaxCalls"/>, run in order.</summary>
    public IReadOnlyList<BatchCall>? Calls { get; set; }

    /// <summary>True: all in one transaction, and the first failure undoes everything.</summary>
    public bool? Atomic { get; set; }

    /// <summary>True: every item runs and everything is rolled back (read by the dispatcher too).</summary>
    public bool? DryRun { get; set; }
}

/// <summary>One item: the function and its payload, an object or a string holding one.</summary>
public sealed class BatchCall
{
    /// <summary>The function name, in any casing.</summary>
    [JsonPropertyName("n")]
    public string? N { get; set; }

    /// <summary>The payload; absent, null or "" mean <c>{}</c>.</summary>
    [JsonPropertyName("o")]
    public JsonElement? O { get; set; }
}

/// <summary>The standard response plus <c>Results</c>, one per item in order.</summary>
public sealed class BatchReply : StandardReply
{
    /// <summary>Each item's name as sent and its reply as a JSON value.</summary>
    public IReadOnlyList<BatchResult> Results { get; init; } = [];
}

/// <summary>An item's result.</summary>
/// <param name="N">The function name as the item sent it.</param>
/// <param name="O">The item's reply payload, as a JSON value.</param>
public sealed record BatchResult([property: JsonPropertyName("n")] string N, [property: JsonPropertyName("o")] JsonElement O)
{
    /// <summary>True in a dry-run batch for a reply that is not an object (an array), which cannot carry the key itself.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? DryRun { get; init; }
}
