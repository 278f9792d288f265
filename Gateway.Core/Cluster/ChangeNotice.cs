using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Core.Cluster;

/// <summary>
/// What one node's commit tells the others through PostgreSQL NOTIFY on <see cref="Channel"/>: which node committed,
/// the newest audit Id of the commit, and the users and accounts whose state changed; <see cref="SessionsEnded"/> when
/// session rows were deleted; <see cref="Unlisted"/> when a write of it did not say what it changed (the other nodes
/// then drop every cached value). <see cref="Everything"/> stands for a commit too large to list (NOTIFY payloads are
/// limited to 8000 bytes): the other nodes then treat every user as changed.
/// </summary>
internal sealed record ChangeNotice(
    [property: JsonPropertyName("n")] string Node,
    [property: JsonPropertyName("id")] long AuditId,
    [property: JsonPropertyName("u")] long[]? Users,
    [property: JsonPropertyName("a")] long[]? Accounts,
    [property: JsonPropertyName("s")] bool SessionsEnded,
    [property: JsonPropertyName("all")] bool Everything,
    [property: JsonPropertyName("c")] bool Unlisted = false)
{
    /// <summary>The channel every node LISTENs on.</summary>
    public const string Channel = "gateway_changes";

    /// <summary>The largest payload sent as is; PostgreSQL refuses payloads of 8000 bytes or more.</summary>
    public const int MaxPayloadBytes = 7900;

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault };

    /// <summary>The payload text: the full form when it fits, else the short "everything" form.</summary>
    public string ToPayload()
    {
        var text = JsonSerializer.Serialize(this, Json);
        if (Encoding.UTF8.GetByteCount(text) <= MaxPayloadBytes)
            return text;
        return JsonSerializer.Serialize(this with { Users = null, Accounts = null, SessionsEnded = true, Everything = true }, Json);
    }

    /// <summary>
    /// The notice in <paramref name="payload"/>; a payload this version cannot read counts as "everything changed" from
    /// an unknown node, so a newer node's notice still makes this one drop its caches and check its sessions.
    /// </summary>
    public static ChangeNotice Parse(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<ChangeNotice>(payload, Json) is { Node: not null } notice)
                return notice;
        }
        catch (JsonException)
        {
            // Falls through to the safe reading below.
        }
        return new ChangeNotice("?", 0, null, null, SessionsEnded: true, Everything: true);
    }
}
