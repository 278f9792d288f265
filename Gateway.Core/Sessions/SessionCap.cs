using Gateway.Core.Storage;
using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// At most <see cref="LimitOptions.MaxSessionsPerUser"/> stored sessions per user. A login over the cap ends the user's
/// least recently used session, taking first those that no socket of this process is using, so a client that logs in
/// again and again without logging out cannot grow memory or the database, nor lock its user out.
/// </summary>
public sealed class SessionCap(SessionManager sessions, IOptions<GatewayOptions> options)
{
    private int Max => Math.Max(1, options.Value.Limits.MaxSessionsPerUser);

    /// <summary>The close reason of the sockets of a session ended by the cap.</summary>
    public string Reason => $"Ended by a newer login: a user has at most {Max} sessions";

    /// <summary>
    /// Deletes, in the login's transaction, the sessions of <paramref name="userId"/> over the cap, never
    /// <paramref name="keep"/> (the one being opened); returns their token hashes for <see cref="End"/> after the commit.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> TrimAsync(WriteTransaction tx, int userId, byte[] keep)
    {
        var count = await SessionStore.CountForUserAsync(tx, userId).ConfigureAwait(false);
        if (count <= Max)
            return [];
        var stored = await SessionStore.ForUserAsync(tx, userId).ConfigureAwait(false);
        var ended = stored
            .Where(s => !s.TokenHash.AsSpan().SequenceEqual(keep))
            .Select(s => (s.TokenHash, Live: sessions.Live(s.TokenHash), Stored: s.LastActivity))
            // Memory knows the latest activity and the sockets; a session only stored has its last written activity.
            .OrderBy(s => s.Live is { Connections.Count: > 0 })
            .ThenBy(s => s.Live?.LastActivity ?? Timestamps.Parse(s.Stored))
            .Take(stored.Count - Max)
            .Select(s => s.TokenHash)
            .ToList();
        foreach (var tokenHash in ended)
            await SessionStore.DeleteAsync(tx, tokenHash).ConfigureAwait(false);
        return ended;
    }

    /// <summary>Closes the sockets of the sessions <see cref="TrimAsync"/> deleted, with 1008 and <see cref="Reason"/>.</summary>
    public void End(IEnumerable<byte[]> tokenHashes)
    {
        ArgumentNullException.ThrowIfNull(tokenHashes);
        foreach (var tokenHash in tokenHashes)
            sessions.EndDeleted(tokenHash, Reason);
    }
}
