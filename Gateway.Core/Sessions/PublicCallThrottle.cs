using Microsoft.Extensions.Options;

namespace Gateway.Core.Sessions;

/// <summary>
/// The hourly limits of the public calls, kept in memory like <see cref="LoginThrottle"/>: registrations per remote
/// address (every attempt, counted before any lookup) and in all (successes), reset requests per address, reset mails
/// per requested name (whether or not it exists), and reset-code checks per address.
/// </summary>
public sealed class PublicCallThrottle(TimeProvider time, IOptions<GatewayOptions> options)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private const string All = "";

    private readonly FixedWindowCounts<string> _registrationsByAddress = new(StringComparer.Ordinal, Hour);
    private readonly FixedWindowCounts<string> _registrations = new(StringComparer.Ordinal, Hour);
    private readonly FixedWindowCounts<string> _resetsByAddress = new(StringComparer.Ordinal, Hour);
    private readonly FixedWindowCounts<string> _resetMailsByName = new(StringComparer.Ordinal, Hour);
    private readonly FixedWindowCounts<string> _codeChecksByAddress = new(StringComparer.Ordinal, Hour);

    private GatewayOptions Options => options.Value;

    /// <summary>Counts a registration attempt from <paramref name="address"/>; false over <c>Registration:PerAddressPerHour</c>.</summary>
    public bool TryCountRegistrationAttempt(string address) =>
        _registrationsByAddress.TryTake(address, Options.Registration.PerAddressPerHour, time.GetUtcNow()) is not null;

    /// <summary>Takes a place among the hour's registrations; null over <c>Registration:PerHour</c>. Dispose the place to give it back.</summary>
    public Place? TryTakeRegistration() =>
        _registrations.TryTake(All, Options.Registration.PerHour, time.GetUtcNow()) is { } ticket ? new Place(ticket) : null;

    /// <summary>Counts a ResetPassword request from <paramref name="address"/>; false over <c>PasswordReset:PerAddressPerHour</c>.</summary>
    public bool TryCountResetRequest(string address) =>
        _resetsByAddress.TryTake(address, Options.PasswordReset.PerAddressPerHour, time.GetUtcNow()) is not null;

    /// <summary>Counts a reset mail for the name with key <paramref name="userNameKey"/>; false over <c>PasswordReset:PerUserNamePerHour</c>.</summary>
    public bool TryCountResetMail(string userNameKey) =>
        _resetMailsByName.TryTake(userNameKey, Options.PasswordReset.PerUserNamePerHour, time.GetUtcNow()) is not null;

    /// <summary>Counts a reset-code check from <paramref name="address"/>; false over <c>PasswordReset:CodeChecksPerAddressPerHour</c>.</summary>
    public bool TryCountCodeCheck(string address) =>
        _codeChecksByAddress.TryTake(address, Options.PasswordReset.CodeChecksPerAddressPerHour, time.GetUtcNow()) is not null;

    /// <summary>One counted place that can be given back (a registration that created nothing).</summary>
    public sealed class Place
    {
        private readonly FixedWindowCounts<string>.Ticket _ticket;
        private int _given;

        internal Place(FixedWindowCounts<string>.Ticket ticket) => _ticket = ticket;

        /// <summary>Gives the place back, once, if its hour is still running.</summary>
        public void GiveBack()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
                FixedWindowCounts<string>.Give(_ticket);
        }
    }
}
