using System.Globalization;
using System.Text.Json;
using Gateway.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Handlers;

/// <summary>
/// What the listing calls share (GetUsers, GetAccounts, GetUserAffiliates, GetRecentAffiliateRegistrations): paging by
/// id with <c>StartIndex</c> and <c>Limit</c>, literal search text, and request times as ISO-8601 text or .NET ticks.
/// </summary>
public sealed class Listing(IOptions<GatewayOptions> options)
{
    /// <summary>Longest search text, in characters.</summary>
    public const int MaxSearch = 64;

    /// <summary>The largest page, <c>Gateway:Limits:MaxPageSize</c>.</summary>
    public int MaxPageSize => options.Value.Limits.MaxPageSize;

    /// <summary>The lowest id to return and the page size: absent or 0 means the first row / <paramref name="defaultLimit"/>; 100 out of range.</summary>
    public (int StartIndex, int Limit) Page(int? startIndex, int? limit, int? defaultLimit = null)
    {
        var max = MaxPageSize;
        if (startIndex is < 0)
            throw new GatewayException(ErrorCode.InvalidRequest, "StartIndex must be 0 or more: the lowest Id to return");
        if (limit is { } given && given != 0 && (given < 1 || given > max))
            throw new GatewayException(ErrorCode.InvalidRequest, $"Limit must be between 1 and {max.ToString(CultureInfo.InvariantCulture)}");
        return (startIndex ?? 0, limit is > 0 ? limit.Value : Math.Min(defaultLimit ?? max, max));
    }

    /// <summary>Search text taken literally (no wildcards); null when not given, 100 when over <see cref="MaxSearch"/> characters.</summary>
    public static string? Search(string? search)
    {
        if (string.IsNullOrEmpty(search))
            return null;
        if (search.EnumerateRunes().Count() > MaxSearch)
            throw new GatewayException(ErrorCode.InvalidRequest, $"Search must be 1-{MaxSearch} characters");
        return search;
    }

    /// <summary>
    /// A request time: an ISO-8601 string (no offset means UTC) or an integer of .NET ticks; null when not given
    /// (absent, null, 0 or <c>0001-01-01T00:00:00</c>), 100 naming <paramref name="field"/> when it does not parse.
    /// </summary>
    public static DateTimeOffset? Time(JsonElement? value, string field)
    {
        DateTimeOffset? time = value switch
        {
            null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
            { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var ticks) => FromTicks(ticks, field),
            { ValueKind: JsonValueKind.String } text when long.TryParse(text.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) => FromTicks(ticks, field),
            { ValueKind: JsonValueKind.String } text when DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) => parsed,
            _ => throw NotATime(field),
        };
        return time is { } t && t.UtcTicks == 0 ? null : time;
    }

    private static DateTimeOffset FromTicks(long ticks, string field) =>
        ticks < 0 || ticks > DateTime.MaxValue.Ticks ? throw NotATime(field) : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static GatewayException NotATime(string field) =>
        new(ErrorCode.InvalidRequest, $"{field} is not a time: send ISO-8601 text (2026-01-31T00:00:00Z; no offset means UTC) or an integer of .NET ticks");
}
