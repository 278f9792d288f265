namespace Gateway.Core;

/// <summary>The <c>Gateway</c> section of appsettings.json.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gateway";

    /// <summary>The SQLite file; a relative path is relative to the content root. With PostgreSQL its folder holds the key file.</summary>
    public string DatabasePath { get; set; } = "data/gateway.db";

    /// <summary>The engine: SQLite (default) or PostgreSQL shared by several nodes (operations.md section 5).</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Protocol limits (protocol.md section 7).</summary>
    public LimitOptions Limits { get; set; } = new();

    /// <summary>Sessions and logins.</summary>
    public SecurityOptions Security { get; set; } = new();

    /// <summary>Repeat-safe calls, dry runs and batches (protocol.md section 9).</summary>
    public Safety.SafetyOptions Safety { get; set; } = new();

    /// <summary>User and account config (calls-next.md).</summary>
    public ConfigOptions Config { get; set; } = new();

    /// <summary>Self-registration (RegisterNewUser, RegisterUser).</summary>
    public Handlers.Registration.RegistrationOptions Registration { get; set; } = new();

    /// <summary>Password reset by mailed code (ResetPassword, ResetPassword2).</summary>
    public Handlers.PasswordReset.PasswordResetOptions PasswordReset { get; set; } = new();

    /// <summary>Where mail goes: an SMTP server, or a pickup directory of .eml files.</summary>
    public Mail.MailOptions Mail { get; set; } = new();
}

/// <summary>The <c>Gateway:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (the file at <c>Gateway:DatabasePath</c>) or <c>Postgres</c> (<see cref="ConnectionString"/>).</summary>
    public Storage.DatabaseProvider Provider { get; set; } = Storage.DatabaseProvider.Sqlite;

    /// <summary>The PostgreSQL database, in Npgsql syntax (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>).</summary>
    public string? ConnectionString { get; set; }
}

/// <summary>The <c>Gateway:Config</c> section.</summary>
public sealed class ConfigOptions
{
    /// <summary>
    /// Config keys (matched ignoring case) that only an Operator, or a holder of the call's own permission, may set or
    /// remove; <c>levelIncreaseStatus</c> and every key starting with <c>Operator.</c> are protected whatever this says.
    /// </summary>
    public IList<string> ProtectedKeys { get; } = ["levelIncreaseStatus"];
}

/// <summary>Sessions, lockout and password hashing.</summary>
public sealed class SecurityOptions
{
    /// <summary>Minutes after its last call that a session expires.</summary>
    public double SessionTimeoutMinutes { get; set; } = 60;

    /// <summary>Seconds between sweeps that close the sockets of expired sessions.</summary>
    public double SessionSweepSeconds { get; set; } = 30;

    /// <summary>Failed logins within <see cref="LockoutWindowMinutes"/> that lock a user.</summary>
    public int LockoutFailures { get; set; } = 5;

    /// <summary>The window in which failed logins are counted.</summary>
    public double LockoutWindowMinutes { get; set; } = 15;

    /// <summary>Minutes a lock lasts unless an operator unlocks the user first.</summary>
    public double LockoutMinutes { get; set; } = 15;

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (at least 100,000).</summary>
    public int PasswordIterations { get; set; } = 100_000;

    /// <summary>Base64 of at least 32 random bytes; empty means a key file beside the database, made on first start.</summary>
    public string MasterKey { get; set; } = "";

    /// <summary>Hours a (APIKey, Nonce) pair is remembered to refuse replays.</summary>
    public double NonceWindowHours { get; set; } = 24;

    /// <summary>Minutes a correct password waits for its second factor on the same socket.</summary>
    public double SecondFactorMinutes { get; set; } = 5;
}

/// <summary>Per-socket and per-message limits.</summary>
public sealed class LimitOptions
{
    /// <summary>Largest message after reassembly; larger closes the socket with 1009.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Deepest JSON nesting of a payload; deeper answers errorcode 100.</summary>
    public int MaxPayloadDepth { get; set; } = 32;

    /// <summary>Longest string value, in characters, anywhere in a payload; longer answers errorcode 100 before the call runs.</summary>
    public int MaxStringLength { get; set; } = 256;

    /// <summary>Calls one socket may have running at once; further frames wait to be read.</summary>
    public int MaxCallsInFlightPerSocket { get; set; } = 64;

    /// <summary>Replies waiting to be sent on one socket; at the limit the socket stops reading requests.</summary>
    public int MaxQueuedRepliesPerSocket { get; set; } = 1000;

    /// <summary>Seconds the reply queue may stay full with nothing sent before the socket is closed with 1008.</summary>
    public int SendStallTimeoutSeconds { get; set; } = 10;

    /// <summary>Replies ready together (frames read in one go, a queue of replies) leave in one socket write.</summary>
    public bool CoalesceReplies { get; set; } = true;

    /// <summary>Seconds between keep-alive pings.</summary>
    public int KeepAliveIntervalSeconds { get; set; } = 15;

    /// <summary>Seconds to wait for the pong before the peer counts as dead.</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 10;

    /// <summary>Seconds a closing socket may take to finish its calls and the close handshake.</summary>
    public int CloseTimeoutSeconds { get; set; } = 5;

    /// <summary>Requests one socket may make per second (token bucket refill); over it a request answers errorcode 101.</summary>
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests one socket may make at once from a full bucket.</summary>
    public int RequestBurst { get; set; } = 2000;

    /// <summary>
    /// Seconds in a row a socket may stay far over the rate (more requests refused in a second than
    /// <see cref="RequestsPerSecond"/>) before it is closed with 1008.
    /// </summary>
    public int RateLimitCloseAfterSeconds { get; set; } = 10;

    /// <summary>
    /// Failed logins one remote address may make per minute; further logins answer "Rate limit exceeded". Each attempt
    /// is counted when it arrives, before anything is checked, and given back if it succeeds.
    /// </summary>
    public int FailedLoginsPerAddressPerMinute { get; set; } = 20;

    /// <summary>Logins (any outcome) one remote address may attempt per minute; further ones answer "Rate limit exceeded" unchecked.</summary>
    public int LoginsPerAddressPerMinute { get; set; } = 60;

    /// <summary>Logins (any outcome) one user may attempt per minute; further ones answer "Rate limit exceeded" unchecked.</summary>
    public int LoginsPerUserPerMinute { get; set; } = 30;

    /// <summary>Password hashes computed at once; 0 means half the processors, at least one.</summary>
    public int PasswordChecksAtOnce { get; set; }

    /// <summary>Seconds a password login may wait for a free hashing slot before it answers "Rate limit exceeded".</summary>
    public double PasswordCheckWaitSeconds { get; set; } = 5;

    /// <summary>Stored sessions one user may have; a login over it ends the user's least recently used session.</summary>
    public int MaxSessionsPerUser { get; set; } = 100;

    /// <summary>WebSockets open at once in all; over it an upgrade request answers HTTP 503.</summary>
    public int MaxOpenSockets { get; set; } = 10_000;

    /// <summary>WebSockets logged in as one user at once; a socket logging in over it is closed with 1008 after its reply.</summary>
    public int MaxSocketsPerUser { get; set; } = 20;

    /// <summary>Seconds a socket may stay open without logging in; then it is closed with 1008.</summary>
    public double AnonymousTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Browser origins (<c>scheme://host[:port]</c>) allowed to open a WebSocket, or <c>*</c> for any; a request without an
    /// Origin header, or from the gateway's own host, is always allowed; any other origin gets HTTP 403.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>Longest config value, in characters; overrides <see cref="MaxStringLength"/> for config values only.</summary>
    public int ConfigValueChars { get; set; } = 1024;

    /// <summary>Config keys one user may have; a Set over it answers errorcode 101.</summary>
    public int ConfigKeysPerUser { get; set; } = 100;

    /// <summary>Config keys one account may have; a Set over it answers errorcode 101.</summary>
    public int ConfigKeysPerAccount { get; set; } = 100;

    /// <summary>Largest <c>Limit</c> of a listing call (GetUsers, GetAccounts, the affiliate lists); larger answers errorcode 100.</summary>
    public int MaxPageSize { get; set; } = 1000;
}
