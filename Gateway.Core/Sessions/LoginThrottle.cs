using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// The per-minute login limits kept in memory: logins per remote address and per user (any outcome), and failed logins
/// per remote address. Every one is counted when the attempt arrives, before any password, signature, code or token is
/// checked; a failed-login place is given back only by an attempt that succeeds.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, IOptions<GatewayOptions> options)
{
    private readonly FixedWindowCounts<string> _loginsByAddress = new(StringComparer.Ordinal);
    private readonly FixedWindowCounts<int> _loginsByUser = new();
    private readonly FixedWindowCounts<string> _failuresByAddress = new(StringComparer.Ordinal);

    private LimitOptions Limits => options.Value.Limits;

    /// <summary>Counts a login attempt from <paramref name="address"/>; false (not counted) over <see cref="LimitOptions.LoginsPerAddressPerMinute"/>.</summary>
    public bool TryCountLogin(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _loginsByAddress.TryTake(address, Limits.LoginsPerAddressPerMinute, time.GetUtcNow()) is not null;
    }

    /// <summary>Counts a login attempt of <paramref name="userId"/>; false (not counted) over <see cref="LimitOptions.LoginsPerUserPerMinute"/>.</summary>
    public bool TryCountUserLogin(int userId) =>
        _loginsByUser.TryTake(userId, Limits.LoginsPerUserPerMinute, time.GetUtcNow()) is not null;

    /// <summary>
    /// Counts an attempt from <paramref name="address"/> as failed before it is checked; null (nothing counted) when the
    /// address has used its <see cref="LimitOptions.FailedLoginsPerAddressPerMinute"/> this minute.
    /// </summary>
    public AddressReservation? TryReserve(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return _failuresByAddress.TryTake(address, Limits.FailedLoginsPerAddressPerMinute, time.GetUtcNow()) is { } ticket
            ? new AddressReservation(ticket)
            : null;
    }
}

/// <summary>An attempt counted as a failed login of its address until it is released.</summary>
public sealed class AddressReservation
{
    private readonly FixedWindowCounts<string>.Ticket _ticket;

    internal AddressReservation(FixedWindowCounts<string>.Ticket ticket) => _ticket = ticket;

    /// <summary>Gives the place back (the attempt succeeded, or was never checked), if its minute is still running.</summary>
    public void Release() => FixedWindowCounts<string>.Give(_ticket);
}
