using System.Collections.Concurrent;

namespace Gateway.Core.Handlers.PasswordReset;

/// <summary>
/// Wrong codes per user, counted against the code outstanding when they were tried, in memory: a dry run's writes roll
/// back, so a count in the database would let dry runs guess without end. At
/// <see cref="PasswordResetOptions.WrongCodesPerCode"/> the code is void here at once (and deleted from the database).
/// One entry per user with an outstanding code that someone guessed at; a new code or a reset forgets it.
/// </summary>
public sealed class ResetCodeGuard
{
    private readonly ConcurrentDictionary<int, Tries> _tries = new();

    /// <summary>True when the code with <paramref name="codeHash"/> has had too many wrong tries.</summary>
    public bool IsVoid(int userId, byte[] codeHash) =>
        _tries.TryGetValue(userId, out var tries) && tries.CodeHash.AsSpan().SequenceEqual(codeHash) && tries.Count >= PasswordResetOptions.WrongCodesPerCode;

    /// <summary>Counts a wrong code against the code with <paramref name="codeHash"/>; true when this try voids it.</summary>
    public bool Wrong(int userId, byte[] codeHash)
    {
        var now = _tries.AddOrUpdate(userId, _ => new Tries(codeHash, 1),
            (_, old) => old.CodeHash.AsSpan().SequenceEqual(codeHash) ? old with { Count = old.Count + 1 } : new Tries(codeHash, 1));
        return now.Count == PasswordResetOptions.WrongCodesPerCode;
    }

    /// <summary>Forgets the user's count (a new code was issued, or the password was reset).</summary>
    public void Forget(int userId) => _tries.TryRemove(userId, out _);

    private sealed record Tries(byte[] CodeHash, int Count);
}
