using System.Text.Json;
using Gateway.Core;
using Gateway.Core.Handlers;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Startup;
using Microsoft.Data.Sqlite;

namespace Gateway.Admin;

/// <summary>
/// The configured database opened for one admin command, with the gateway's own services: for an exclusive command
/// its lock held and its schema current; for a shared one (backup, verify-audit) beside whatever gateway runs.
/// </summary>
internal sealed class AdminContext : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DatabaseLock? _held;
    private readonly string _function;

    private AdminContext(ServiceProvider services, DatabaseLock? held, string command, IConfiguration configuration, int versionAtOpen)
    {
        _services = services;
        _held = held;
        _function = "admin " + command;
        Configuration = configuration;
        VersionAtOpen = versionAtOpen;
    }

    public Database Database => _services.GetRequiredService<Database>();

    public DbWriter Writer => _services.GetRequiredService<DbWriter>();

    public PasswordHasher Hasher => _services.GetRequiredService<PasswordHasher>();

    public UserStore Users => _services.GetRequiredService<UserStore>();

    public TimeProvider Time => _services.GetRequiredService<TimeProvider>();

    public IConfiguration Configuration { get; }

    /// <summary>The schema version the database had before this command opened it.</summary>
    public int VersionAtOpen { get; }

    /// <summary>
    /// Opens the database named by the configuration for <paramref name="command"/>. Refuses (one line) a missing
    /// file, one that is not SQLite, a database a running gateway holds (exclusive commands), and an out-of-date schema
    /// (every command but migrate, which brings it up to date).
    /// </summary>
    public static async Task<AdminContext> OpenAsync(WebApplicationBuilder builder, AdminCommand command, CancellationToken ct)
    {
        if (SettingsCheck.FirstProblem(builder.Configuration) is { } problem)
            throw new AdminRefusedException(problem);
        var path = Database.Resolve(builder.Configuration[$"{GatewayOptions.Section}:DatabasePath"] ?? new GatewayOptions().DatabasePath,
            Directory.GetCurrentDirectory());
        // PostgreSQL has no file to check or lock: its writers queue on the database's own lock.
        var postgres = string.Equals(builder.Configuration[$"{GatewayOptions.Section}:Database:Provider"]?.Trim(), "Postgres", StringComparison.OrdinalIgnoreCase);
        var held = postgres ? null : await HoldAsync(path, command.Exclusive, ct).ConfigureAwait(false);
        var services = new ServiceCollection()
            .AddLogging()
            .AddMetrics()
            .Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section))
            .AddGatewayCore(HandlerCatalog.Create(), Directory.GetCurrentDirectory())
            .BuildServiceProvider();
        try
        {
            var database = services.GetRequiredService<Database>();
            var version = await VersionAsync(database, ct).ConfigureAwait(false);
            if (version > Migrator.Latest || (version < Migrator.Latest && command is not MigrateCommand))
                throw new AdminRefusedException($"database {database.Describe} is at schema version {version}; this gateway's is {Migrator.Latest}"
                    + (version < Migrator.Latest ? ": run admin migrate first, with the gateway stopped" : ""));
            var writer = services.GetRequiredService<DbWriter>();
            if (command.Exclusive)
                await writer.OpenAsync(ct).ConfigureAwait(false);
            else
                await writer.OpenSharedAsync(ct).ConfigureAwait(false);
            return new AdminContext(services, held, command.Name, builder.Configuration, version);
        }
        catch (Exception e)
        {
            await services.DisposeAsync().ConfigureAwait(false);
            held?.Dispose();
            if (e is SqliteException or Npgsql.NpgsqlException or InvalidOperationException)
                throw new AdminRefusedException(e.Message, e);
            throw;
        }
    }

    /// <summary>
    /// The audit record of this command: UserId 0, no session, Function <c>admin &lt;command&gt;</c>, and
    /// <paramref name="fields"/> as its payload (never a secret).
    /// </summary>
    public AuditEntry Audit(params (string Name, string Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in fields)
                json.WriteString(name, value);
            json.WriteEndObject();
        }
        return new AuditEntry(0, null, _function, buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        _held?.Dispose();
    }

    // The lock before anything else is opened, so an exclusive command never touches a database a gateway serves.
    private static async Task<DatabaseLock?> HoldAsync(string path, bool exclusive, CancellationToken ct)
    {
        if (!File.Exists(path))
            throw new AdminRefusedException(Directory.Exists(path) ? $"database {path} is a folder, not a file" : $"database {path} does not exist");
        try
        {
            DatabaseFile.Check(path);
            return exclusive ? await DatabaseLock.AcquireAsync(path, TimeProvider.System, ct).ConfigureAwait(false) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdminRefusedException(e.Message, e);
        }
    }

    private static async Task<int> VersionAsync(Database database, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct).ConfigureAwait(false);
        return await Migrator.VersionAsync(connection, database.Dialect, ct).ConfigureAwait(false);
    }
}
