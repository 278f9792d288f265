using System.Globalization;
using System.Security.Cryptography;
using Gateway.Core;
using Gateway.Core.Dispatch;
using Gateway.Core.Handlers;
using Gateway.Core.Protocol;
using Gateway.Core.Sessions;
using Gateway.Core.Storage;
using Gateway.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Sessions;

/// <summary>
/// The one authorizer, built as the host builds it, on a real SQLite file in a temp folder: sessions come from real
/// logins on a fake transport, permissions and keys are written through the one writer.
/// </summary>
[TestFixture]
public sealed class SessionAuthorizerTests
{
    private const string AdminPassword = "admin-password-for-unit-tests";
    private const string UserPassword = "user-password-123";
    private const int AdminId = 1;

    private static readonly CallDescriptor OperatorOnly = new("ListEverything", Access.Operator);
    private static readonly CallDescriptor TradingScoped = new("PlaceOwnOrder", Access.Scoped(PermissionNames.Trading));

    private DirectoryInfo _dir = null!;
    private ServiceProvider _services = null!;
    private ManualClock _clock = null!;
    private DbWriter _writer = null!;
    private ICallAuthorizer _authorizer = null!;

    [SetUp]
    public async Task StartServices()
    {
        _dir = Directory.CreateTempSubdirectory("gateway-authorizer-");
        _clock = new ManualClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var handlers = HandlerCatalog.Create();
        TestHandlers.AddTo(handlers);
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.Configure<GatewayOptions>(o => o.DatabasePath = Path.Combine(_dir.FullName, "gateway.db"));
        services.AddGatewayCore(handlers, _dir.FullName);
        services.AddSingleton<TimeProvider>(_clock);
        _services = services.BuildServiceProvider();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        _writer = _services.GetRequiredService<DbWriter>();
        await _writer.OpenAsync(deadline.Token);
        await _services.GetRequiredService<Bootstrapper>().EnsureAdminAsync(AdminPassword, deadline.Token);
        _authorizer = _services.GetRequiredService<ICallAuthorizer>();
    }

    [TearDown]
    public async Task StopServices()
    {
        var connectionString = _services.GetRequiredService<Database>().ConnectionString;
        await _services.DisposeAsync();
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        _dir.Delete(recursive: true);
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_PublicCallWithoutSession_Passes(CancellationToken ct)
    {
        var call = Call(new FakeConnection(), "Ping");

        await _authorizer.AuthorizeAsync(new CallDescriptor("Ping", Access.Public), call, ct);

        Assert.That((call.IsOperator, call.Scoped), Is.EqualTo((false, false)));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_PrivateCallWithoutSession_RefusesUnauthenticatedNotLoggedIn(CancellationToken ct)
    {
        var refusal = await RefusalAsync(TradingScoped, new FakeConnection(), ct);

        Assert.That((refusal.Code, refusal.Detail, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, "Not logged in", true)));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_Operator_PassesUnscopedAsOperator(CancellationToken ct)
    {
        var admin = await LoginAsync("admin", AdminPassword, ct);
        var call = Call(admin, OperatorOnly.Name);

        await _authorizer.AuthorizeAsync(OperatorOnly, call, ct);

        Assert.That((call.IsOperator, call.Scoped), Is.EqualTo((true, false)));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_UmbrellaHolder_PassesScopedToItself(CancellationToken ct)
    {
        var (user, _) = await NewUserAsync(ct, PermissionNames.Trading);
        var call = Call(user, TradingScoped.Name);

        await _authorizer.AuthorizeAsync(TradingScoped, call, ct);

        Assert.That((call.IsOperator, call.Scoped), Is.EqualTo((false, true)));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_HolderOfTheCallsOwnPermission_PassesUnscoped(CancellationToken ct)
    {
        var (user, _) = await NewUserAsync(ct, PermissionNames.Trading, TradingScoped.Name);
        var call = Call(user, TradingScoped.Name);

        await _authorizer.AuthorizeAsync(TradingScoped, call, ct);

        Assert.That((call.IsOperator, call.Scoped), Is.EqualTo((false, false)));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_FunctionNotHeld_Refuses20NamingTheUmbrellasAndItsOwnPermission(CancellationToken ct)
    {
        var (user, _) = await NewUserAsync(ct, PermissionNames.NewUserDefaults.ToArray());
        Assert.That(_services.GetRequiredService<HandlerRegistry>().TryGet("TestPrivate", out var function), Is.True);

        var refusal = await RefusalAsync(function!, user, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, false)));
        Assert.That(refusal.Detail, Is.EqualTo("TestPrivate needs one of these permissions: Operator, TestPrivate"));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_ResourceNotHeld_Refuses20NamingItsUmbrellas(CancellationToken ct)
    {
        var (user, _) = await NewUserAsync(ct, PermissionNames.Deposit);
        var resource = new CallDescriptor("accountUsers", Access.Scoped(PermissionNames.Trading, PermissionNames.AccountReadOnly));

        var refusal = await RefusalAsync(resource, user, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, false)));
        Assert.That(refusal.Detail, Is.EqualTo("accountUsers needs one of these permissions: Operator, Trading, AccountReadOnly"));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_PermissionRevoked_RefusesTheVeryNextCall(CancellationToken ct)
    {
        var (user, userId) = await NewUserAsync(ct, PermissionNames.Trading);
        await _authorizer.AuthorizeAsync(TradingScoped, Call(user, TradingScoped.Name), ct);

        await _writer.WriteUnauditedAsync(tx => PermissionStore.RevokeAsync(tx, userId, PermissionNames.Trading), ct);
        var refusal = await RefusalAsync(TradingScoped, user, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, false)));
        Assert.That(refusal.Detail, Is.EqualTo("PlaceOwnOrder needs one of these permissions: Operator, Trading"));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_OperatorsTradingOnlyKey_IsRefusedAnOperatorOnlyCall(CancellationToken ct)
    {
        var key = await AddKeyAsync(AdminId, ct, PermissionNames.Trading);
        var keySession = await KeyLoginAsync(key, ct);

        var refusal = await RefusalAsync(OperatorOnly, keySession, ct);
        var scoped = Call(keySession, TradingScoped.Name);
        await _authorizer.AuthorizeAsync(TradingScoped, scoped, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, false)));
        Assert.That(refusal.Detail, Is.EqualTo("ListEverything needs one of these permissions: Operator"));
        Assert.That((scoped.IsOperator, scoped.Scoped), Is.EqualTo((false, true)), "a Trading key acts only on its own user");
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_KeyRemoved_RefusesUnauthenticatedAndClosesTheSocket(CancellationToken ct)
    {
        var key = await AddKeyAsync(AdminId, ct, PermissionNames.Trading);
        var keySession = await KeyLoginAsync(key, ct);
        await _authorizer.AuthorizeAsync(TradingScoped, Call(keySession, TradingScoped.Name), ct);

        await _writer.WriteUnauditedAsync(tx => ApiKeyStore.RemoveAsync(tx, key.Key, AdminId), ct);
        var refusal = await RefusalAsync(TradingScoped, keySession, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, true)));
        Assert.That(refusal.Detail, Is.EqualTo("The API key this session was opened with has been removed"));
        Assert.That(keySession.CloseRequests, Is.EqualTo(new[] { (SessionManager.PolicyViolation, "API key removed") }));
        Assert.That(keySession.Session, Is.Null);
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_SessionEndedWhileASocketStillHoldsIt_RefusesUnauthenticated(CancellationToken ct)
    {
        var admin = await LoginAsync("admin", AdminPassword, ct);
        var session = admin.Session!;
        // A second socket that still holds the session object when the log-out ends it.
        var late = new FakeConnection("fake-late") { Session = session };

        await _services.GetRequiredService<SessionManager>().EndAsync(session, SessionEnd.LogOut, audited: null, ct);
        var refusal = await RefusalAsync(OperatorOnly, late, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, true)));
        Assert.That(refusal.Detail, Is.EqualTo("Session expired; log in again"));
        Assert.That((await RefusalAsync(OperatorOnly, admin, ct)).Detail, Is.EqualTo("Not logged in"), "the logged-out socket keeps no session");
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_SessionIdlePastTheTimeout_RefusesUnauthenticatedAndClosesTheSocket(CancellationToken ct)
    {
        var admin = await LoginAsync("admin", AdminPassword, ct);
        await _authorizer.AuthorizeAsync(OperatorOnly, Call(admin, OperatorOnly.Name), ct);
        var timeout = TimeSpan.FromMinutes(new GatewayOptions().Security.SessionTimeoutMinutes);

        _clock.Advance(timeout + TimeSpan.FromSeconds(1));
        var refusal = await RefusalAsync(OperatorOnly, admin, ct);

        Assert.That((refusal.Code, refusal.Unauthenticated), Is.EqualTo((ErrorCode.NotAuthorized, true)));
        Assert.That(refusal.Detail, Is.EqualTo("Session expired; log in again"));
        Assert.That(admin.CloseRequests, Is.EqualTo(new[] { (SessionManager.PolicyViolation, "Session expired") }));
    }

    [Test, CancelAfter(20_000)]
    public async Task AuthorizeAsync_SessionUsedWithinTheTimeout_Passes(CancellationToken ct)
    {
        var admin = await LoginAsync("admin", AdminPassword, ct);
        var timeout = TimeSpan.FromMinutes(new GatewayOptions().Security.SessionTimeoutMinutes);

        _clock.Advance(timeout - TimeSpan.FromSeconds(1));
        await _authorizer.AuthorizeAsync(OperatorOnly, Call(admin, OperatorOnly.Name), ct);
        _clock.Advance(timeout - TimeSpan.FromSeconds(1));
        await _authorizer.AuthorizeAsync(OperatorOnly, Call(admin, OperatorOnly.Name), ct);

        Assert.That(admin.CloseRequests, Is.Empty, "each call restarts the idle timeout");
    }

    private static CallContext Call(FakeConnection connection, string function) => new() { Connection = connection, Function = function };

    private async Task<GatewayException> RefusalAsync(CallDescriptor target, FakeConnection connection, CancellationToken ct)
    {
        try
        {
            await _authorizer.AuthorizeAsync(target, Call(connection, target.Name), ct);
        }
        catch (GatewayException refusal)
        {
            return refusal;
        }
        throw new AssertionException($"{target.Name} was allowed");
    }

    private async Task<FakeConnection> LoginAsync(string userName, string password, CancellationToken ct)
    {
        var connection = new FakeConnection("fake-" + userName);
        var login = await _services.GetRequiredService<LoginService>().LoginAsync(userName, password, Call(connection, "AuthenticateUser"), ct);
        Assert.That(login.Outcome, Is.EqualTo(LoginOutcome.Succeeded), $"login of {userName}");
        Assert.That(connection.Session, Is.Not.Null);
        return connection;
    }

    /// <summary>A user holding exactly <paramref name="permissions"/>, written as CreateUser writes one, and logged in on a socket of its own.</summary>
    private async Task<(FakeConnection Connection, int UserId)> NewUserAsync(CancellationToken ct, params string[] permissions)
    {
        var userName = "user-" + Guid.NewGuid().ToString("N")[..10];
        var row = new UserRow
        {
            UserName = userName,
            DateTimeCreated = Timestamps.Iso(_clock.GetUtcNow()),
            Active = true,
            PasswordHash = _services.GetRequiredService<PasswordHasher>().Hash(UserPassword),
        };
        var userId = await _writer.WriteUnauditedAsync(async tx =>
        {
            var id = await UserStore.InsertAsync(tx, row);
            foreach (var permission in permissions)
                await PermissionStore.GrantAsync(tx, id, permission);
            return id;
        }, ct);
        return (await LoginAsync(userName, UserPassword, ct), userId);
    }

    private async Task<TestApiKey> AddKeyAsync(int userId, CancellationToken ct, params string[] permissions)
    {
        var apiKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await _writer.WriteUnauditedAsync(async tx =>
        {
            await ApiKeyStore.AddAsync(tx, apiKey, userId, permissions, _clock.GetUtcNow());
            return 0;
        }, ct);
        return new TestApiKey(apiKey, _services.GetRequiredService<MasterKey>().ApiSecret(apiKey), userId);
    }

    private async Task<FakeConnection> KeyLoginAsync(TestApiKey key, CancellationToken ct)
    {
        var connection = new FakeConnection("fake-key");
        var nonce = ApiKeys.NewNonce().ToString(CultureInfo.InvariantCulture);
        var signed = new SignedLogin(key.Key, ApiKeys.Sign(key, nonce), key.UserId.ToString(CultureInfo.InvariantCulture), nonce);
        var login = await _services.GetRequiredService<LoginService>().ApiKeyLoginAsync(signed, Call(connection, "AuthenticateUser"), oneCall: false, ct);
        Assert.That(login.Outcome, Is.EqualTo(LoginOutcome.Succeeded), "API-key login");
        Assert.That(connection.Session?.ApiKey, Is.EqualTo(key.Key));
        return connection;
    }
}
