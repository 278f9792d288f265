using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Core.Storage;

/// <summary>Which of a node's live sessions still have their row (the cluster listener asks): PostgreSQL only, one query per chunk of sessions.</summary>
internal static class StoredSessions
{
    private const int Chunk = 500;
    private const string ExistingSql = "SELECT TokenHash FROM sessions WHERE TokenHash = ANY(@Hashes)";

    /// <summary>The hex hashes of <paramref name="tokenHashes"/> that have a row in <c>sessions</c>.</summary>
    public static async Task<HashSet<string>> ExistingAsync(DbConnection db, IReadOnlyList<byte[]> tokenHashes, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (var start = 0; start < tokenHashes.Count; start += Chunk)
        {
            await using var command = new NpgsqlCommand(ExistingSql, (NpgsqlConnection)db);
            command.Parameters.Add(new NpgsqlParameter("Hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
            {
                Value = tokenHashes.Skip(start).Take(Chunk).ToArray(),
            });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                found.Add(Convert.ToHexString((byte[])reader[0]));
        }
        return found;
    }
}
