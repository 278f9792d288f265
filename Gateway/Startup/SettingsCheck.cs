using System.Globalization;
using Gateway.Core;
using Gateway.Core.Sessions;

namespace Gateway.Startup;

/// <summary>
/// Every setting of the <c>Gateway</c> section checked against its rule before anything is created or bound; the first
/// one broken is reported as <c>Gateway:Limits:MaxMessageBytes is -5; it must be between 1024 and 16777216</c>.
/// A new setting adds one line to <see cref="Check"/>.
/// </summary>
internal sealed class SettingsCheck
{
    private const string Limits = "Gateway:Limits:";
    private const string Security = "Gateway:Security:";
    private const string Registration = "Gateway:Registration:";
    private const string Reset = "Gateway:PasswordReset:";
    private const string Mail = "Gateway:Mail:";
    private const int Unbounded = int.MaxValue;

    private readonly IConfiguration _configuration;
    private string? _problem;

    private SettingsCheck(IConfiguration configuration) => _configuration = configuration;

    /// <summary>Throws a <see cref="StartupException"/> with exit code 78 naming the first setting that breaks its rule.</summary>
    public static void Validate(IConfiguration configuration)
    {
        if (FirstProblem(configuration) is { } problem)
            throw new StartupException(StartupException.ConfigurationError, problem);
    }

    /// <summary>The first broken rule, as one line, or null when every setting is usable.</summary>
    public static string? FirstProblem(IConfiguration configuration)
    {
        var check = new SettingsCheck(configuration);
        check.Check();
        if (check._problem is not null)
            return check._problem;
        try
        {
            Observability.ForwardedAddresses.Read(configuration);
            return null;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private void Check()
    {
        var defaults = new GatewayOptions();
        var limits = defaults.Limits;
        var security = defaults.Security;

        DatabasePath("Gateway:DatabasePath");
        DatabaseProvider();

        Whole(Limits + "MaxMessageBytes", limits.MaxMessageBytes, 1024, 16 * 1024 * 1024);
        Whole(Limits + "MaxPayloadDepth", limits.MaxPayloadDepth, 1, 1000);
        Whole(Limits + "MaxStringLength", limits.MaxStringLength, 1, 16 * 1024 * 1024);
        Whole(Limits + "MaxCallsInFlightPerSocket", limits.MaxCallsInFlightPerSocket, 1, 10_000);
        Whole(Limits + "MaxQueuedRepliesPerSocket", limits.MaxQueuedRepliesPerSocket, 1, 1_000_000);
        Whole(Limits + "SendStallTimeoutSeconds", limits.SendStallTimeoutSeconds, 1, 3600);
        Whole(Limits + "KeepAliveIntervalSeconds", limits.KeepAliveIntervalSeconds, 1, 3600);
        Whole(Limits + "KeepAliveTimeoutSeconds", limits.KeepAliveTimeoutSeconds, 1, 3600);
        Whole(Limits + "CloseTimeoutSeconds", limits.CloseTimeoutSeconds, 1, 60);
        var rate = Whole(Limits + "RequestsPerSecond", limits.RequestsPerSecond, 1, Unbounded);
        Whole(Limits + "RequestBurst", limits.RequestBurst, rate, Unbounded, $"at least {Limits}RequestsPerSecond ({rate.ToString(CultureInfo.InvariantCulture)})");
        Whole(Limits + "RateLimitCloseAfterSeconds", limits.RateLimitCloseAfterSeconds, 1, 3600);
        Whole(Limits + "FailedLoginsPerAddressPerMinute", limits.FailedLoginsPerAddressPerMinute, 1, Unbounded);
        Whole(Limits + "MaxOpenSockets", limits.MaxOpenSockets, 1, Unbounded);
        Whole(Limits + "MaxSocketsPerUser", limits.MaxSocketsPerUser, 1, Unbounded);
        Positive(Limits + "AnonymousTimeoutSeconds", 86_400);
        Origins(Limits + "AllowedOrigins");
        Whole(Limits + "ConfigValueChars", limits.ConfigValueChars, 1, 1_000_000);
        Whole(Limits + "ConfigKeysPerUser", limits.ConfigKeysPerUser, 1, 100_000);
        Whole(Limits + "ConfigKeysPerAccount", limits.ConfigKeysPerAccount, 1, 100_000);
        Whole(Limits + "MaxPageSize", limits.MaxPageSize, 1, 100_000);
        ConfigKeyList("Gateway:Config:ProtectedKeys");

        Positive(Security + "SessionTimeoutMinutes", 525_600);
        Positive(Security + "SessionSweepSeconds", 3600);
        Whole(Security + "LockoutFailures", security.LockoutFailures, 1, 1000);
        Positive(Security + "LockoutWindowMinutes", 525_600);
        Positive(Security + "LockoutMinutes", 525_600);
        Whole(Security + "PasswordIterations", security.PasswordIterations, 100_000, 10_000_000);
        Positive(Security + "NonceWindowHours", 8760);
        Positive(Security + "SecondFactorMinutes", 1440);
        MasterKey(Security + "MasterKey");

        var registration = defaults.Registration;
        var reset = defaults.PasswordReset;
        Flag(Registration + "Enabled");
        Whole(Registration + "PerAddressPerHour", registration.PerAddressPerHour, 1, Unbounded);
        Whole(Registration + "PerHour", registration.PerHour, 1, Unbounded);
        Whole(Registration + "MinPasswordLength", registration.MinPasswordLength, 8, Gateway.Core.Handlers.Registration.RegistrationOptions.MaxPasswordLength);
        DefaultPermissions(Registration + "DefaultPermissions");
        Positive(Reset + "CodeMinutes", 1440);
        Whole(Reset + "PerAddressPerHour", reset.PerAddressPerHour, 1, Unbounded);
        Whole(Reset + "PerUserNamePerHour", reset.PerUserNamePerHour, 1, Unbounded);
        Whole(Reset + "CodeChecksPerAddressPerHour", reset.CodeChecksPerAddressPerHour, 1, Unbounded);
        MailSettings();
    }

    private void Flag(string key)
    {
        var raw = _configuration[key];
        if (raw is not null && !bool.TryParse(raw.Trim(), out _))
            Fail(key, raw, "true or false");
    }

    // A registration never grants more than an ordinary user holds: no Operator, no per-call permission.
    private void DefaultPermissions(string key)
    {
        foreach (var entry in _configuration.GetSection(key).GetChildren())
        {
            if (!Gateway.Core.Handlers.Registration.RegistrationOptions.GrantablePermissions.Contains(entry.Value, StringComparer.Ordinal))
                Fail(entry.Path, entry.Value, "one of " + string.Join(", ", Gateway.Core.Handlers.Registration.RegistrationOptions.GrantablePermissions));
        }
    }

    private void MailSettings()
    {
        var host = _configuration[Mail + "Host"] ?? "";
        var pickup = _configuration[Mail + "PickupDirectory"] ?? "";
        Whole(Mail + "Port", 587, 1, 65535);
        var security = _configuration[Mail + "Security"];
        if (security is not null && Gateway.Core.Mail.SmtpMailTransport.SocketOptions(security.Trim()) is null)
            Fail(Mail + "Security", security, "StartTls, SslOnConnect, Auto or None");
        var from = _configuration[Mail + "From"];
        if (from is not null && !MimeKit.MailboxAddress.TryParse(from, out _))
            Fail(Mail + "From", from, "a mail address");
        if (host.Length > 0 && pickup.Length > 0)
            Fail(Mail + "PickupDirectory", pickup, $"empty when {Mail}Host is set: mail goes one way");
        if (host.Length == 0 && pickup.Length == 0)
            return;
        var template = _configuration[Reset + "LinkTemplate"] ?? "";
        const string UserId = Gateway.Core.Handlers.PasswordReset.PasswordResetOptions.UserIdPlaceholder;
        const string Code = Gateway.Core.Handlers.PasswordReset.PasswordResetOptions.CodePlaceholder;
        if (!template.Contains(UserId, StringComparison.Ordinal) || !template.Contains(Code, StringComparison.Ordinal))
            Fail(Reset + "LinkTemplate", template, $"a link containing {UserId} and {Code} when mail is configured");
    }

    private void Fail(string key, string? value, string rule) =>
        _problem ??= $"{key} is {(string.IsNullOrEmpty(value) ? "empty" : value)}; it must be {rule}";

    // The value as bound (the default when absent), so a later relation can use it.
    private int Whole(string key, int fallback, int min, int max, string? rule = null)
    {
        var raw = _configuration[key];
        if (raw is null)
            return fallback;
        rule ??= max == Unbounded
            ? $"at least {min.ToString(CultureInfo.InvariantCulture)}"
            : $"between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
        if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Fail(key, raw, "a whole number " + rule);
            return fallback;
        }
        if (value < min || value > max)
            Fail(key, raw, rule);
        return value;
    }

    private void Positive(string key, double max)
    {
        var raw = _configuration[key];
        if (raw is null)
            return;
        var rule = $"a number greater than 0 and at most {max.ToString(CultureInfo.InvariantCulture)}";
        if (!double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value <= 0 || value > max)
            Fail(key, raw, rule);
    }

    // Postgres needs its connection string, and one Npgsql can read; a password in it never reaches the message.
    private void DatabaseProvider()
    {
        const string provider = "Gateway:Database:Provider", connection = "Gateway:Database:ConnectionString";
        var raw = _configuration[provider];
        if (raw is null || raw.Trim().Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
            return;
        if (!raw.Trim().Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            Fail(provider, raw, "Sqlite or Postgres");
            return;
        }
        var text = _configuration[connection];
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail(connection, text, "a PostgreSQL connection string (Host=...;Database=...;Username=...) when the provider is Postgres");
            return;
        }
        try
        {
            var parsed = new Npgsql.NpgsqlConnectionStringBuilder(text);
            if (string.IsNullOrWhiteSpace(parsed.Host) || string.IsNullOrWhiteSpace(parsed.Database))
                Fail(connection, "(not shown)", "a PostgreSQL connection string naming Host and Database");
        }
        catch (ArgumentException)
        {
            Fail(connection, "(not shown)", "a PostgreSQL connection string in Npgsql syntax (Host=...;Database=...;Username=...)");
        }
    }

    private void DatabasePath(string key)
    {
        var raw = _configuration[key];
        if (raw is null)
            return;
        if (string.IsNullOrWhiteSpace(raw) || raw.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || raw.Contains('\0', StringComparison.Ordinal))
            Fail(key, raw, "the path of a file");
        else if (raw.EndsWith(Path.DirectorySeparatorChar) || raw.EndsWith(Path.AltDirectorySeparatorChar))
            Fail(key, raw, "the path of a file, not of a folder");
    }

    // A protected key must be one a client could set: 1-64 printable ASCII, and not reserved (no one may set those anyway).
    private void ConfigKeyList(string key)
    {
        foreach (var entry in _configuration.GetSection(key).GetChildren())
        {
            if (!Gateway.Core.Handlers.Config.ConfigKeys.IsWellFormed(entry.Value))
                Fail(entry.Path, entry.Value, "a config key of 1-64 printable ASCII characters without leading or trailing spaces");
            else if (Gateway.Core.Handlers.Config.ConfigKeys.IsReserved(entry.Value!))
                Fail(entry.Path, entry.Value, "a config key that is not reserved (no one may set a reserved key)");
        }
    }

    private void Origins(string key)
    {
        foreach (var entry in _configuration.GetSection(key).GetChildren())
        {
            var origin = entry.Value;
            if (origin == "*")
                continue;
            var wellFormed = Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && uri.Host.Length > 0 && uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
                && !origin!.TrimEnd('/').EndsWith(':');
            if (!wellFormed)
                Fail(entry.Path, origin, "* or an origin scheme://host[:port] with scheme http or https");
        }
    }

    private void MasterKey(string key)
    {
        var raw = _configuration[key];
        if (!string.IsNullOrEmpty(raw) && !Gateway.Core.Sessions.MasterKey.IsWellFormed(raw))
            Fail(key, "set (the value is not shown)", "base64 of at least 32 bytes");
    }
}
