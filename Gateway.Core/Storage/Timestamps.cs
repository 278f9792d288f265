using System.Globalization;

namespace Gateway.Core.Storage;

/// <summary>The one timestamp format of every table and reply: ISO-8601 UTC with 100 ns digits, which sorts as text.</summary>
public static class Timestamps
{
    /// <summary>Formats <paramref name="at"/>, e.g. <c>2026-11-24T06:00:00.0000000Z</c>.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>Parses a stored timestamp.</summary>
    public static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
