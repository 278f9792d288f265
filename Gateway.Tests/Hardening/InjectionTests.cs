using System.Globalization;
using Dapper;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Injection: SQL and JSON injection strings in every string field of every write call. Fields
/// that take free text store them verbatim; fields with a syntax (permission names, tags, user names, which refuse control
/// and invisible characters) answer 100; lookups answer
/// 104; only the intended rows change, the schema is unchanged and integrity_check is ok after every case.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class InjectionTests : AdminFixture
{
    private static readonly string[] Strings =
    [
        "'; DROP TABLE users; --", "\" OR 1=1 --", "Robert'); DROP TABLE users;--", "1' OR '1'='1", "' UNION SELECT * FROM api_keys --",
        "{\"$ne\":1}", "\\\"},\"UserId\":1,\"x\":{\"", "</script><script>alert(1)</script>",
        "%s%n%x", "${jndi:ldap://x/a}", "../../etc/passwd", "\u202eevil", "*/ --",
    ];

    private string _schema = "";
    private int _k;

    [OneTimeSetUp]
    public async Task Connect()
    {
        _schema = await SchemaAsync();
    }

    // U+0000 is the one character no text may hold (PostgreSQL refuses it, C strings end at it): refused before any work,
    // naming the key, on both engines.
    [TestCase("CreateUser", "{\"UserInfo\":{\"UserName\":\"nul-user\",\"Password\":\"nul-password-1\",\"FirstName\":\"a\\u0000b; DELETE FROM users\"}}", "UserInfo.FirstName")]
    [TestCase("AddAccount", "{\"AccountName\":\"\\u0000\"}", "AccountName")]
    [TestCase("SetUserConfig", "{\"UserId\":1,\"Config\":[{\"Key\":\"theme\",\"Value\":\"dark\\u0000\"}]}", "Config[0].Value")]
    public async Task AnyCall_TextHoldingNul_Answers100NamingTheKeyAndWritesNothing(string function, string payload, string key)
    {
        var before = await Host.SnapshotExceptAsync("audit_log");

        var reply = await Admin.CallAsync(function, payload);

        Assert.That(reply.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"" + key
            + " holds the character U\u002B0000 (NUL), which no text may hold\"}").Or.EqualTo("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"" + key
            + " holds the character U+0000 (NUL), which no text may hold\"}"));
        Assert.That(await Host.SnapshotExceptAsync("audit_log"), Is.EqualTo(before));
        Assert.That(await Admin.CallAsync("Ping", "{}"), Has.Property("M").EqualTo(1), "the socket stays open");
    }

    [TestCaseSource(nameof(Strings))]
    public async Task CreateUserAndSetUserInfo_InjectionInEveryTextField_StoredVerbatimAndLoginWorks(string s)
    {
        var k = Interlocked.Increment(ref _k);
        var password = s + "-password-" + k;
        var users = await CountAsync("users");
        var created = await Admin.CallAsync("CreateUser", Json(new
        {
            UserInfo = new
            {
                UserName = $"u{k}{Printable(s)}", Password = password, Email = $"{s}@x{k}.example", ExternalUserId = $"ext{k}{s}", FederatedUserId = s,
                FirstName = s, LastName = s, DisplayName = s, FOLAccountName = s,
            },
        }));
        var userId = created.Payload.GetProperty("UserId").GetInt32();

        Assert.That(await CountAsync("users"), Is.EqualTo(users + 1));
        Assert.That(await UserRowAsync(userId), Is.EqualTo(new[] { $"u{k}{Printable(s)}", $"{s}@x{k}.example", $"ext{k}{s}", s, s, s, s, s }));
        using (var self = await Host.ConnectAsync())
            await self.LoginAsync($"u{k}{Printable(s)}", password);

        var changed = await Admin.CallAsync("SetUserInfo", Json(new
        {
            UserId = userId, UserName = $"v{k}{Printable(s)}", Email = $"v{s}@x{k}.example", ExternalUserId = $"vext{k}{s}", FederatedUserId = s + "1",
            FirstName = s + "2", LastName = s + "3", DisplayName = s + "4", FOLAccountName = s + "5",
        }));

        Assert.That(changed.Payload.GetProperty("FirstName").GetString(), Is.EqualTo(s + "2"), changed.O);
        Assert.That(await UserRowAsync(userId), Is.EqualTo(new[] { $"v{k}{Printable(s)}", $"v{s}@x{k}.example", $"vext{k}{s}", s + "1", s + "2", s + "3", s + "4", s + "5" }));
        Assert.That(await CountAsync("users"), Is.EqualTo(users + 1));
        await AssertDatabaseIntactAsync();
    }

    [TestCaseSource(nameof(Strings))]
    public async Task AddAccountAndAddUserAccount_InjectionInNamesAndHandles_StoredVerbatimAndFoundByThem(string s)
    {
        var k = Interlocked.Increment(ref _k);
        var userName = $"acct-user{k}{Printable(s)}";
        var userId = await Admin.CreateUserAsync(userName);
        var accounts = await CountAsync("accounts");
        var added = await Admin.CallAsync("AddAccount", Json(new
        {
            AccountName = s, AccountHandle = $"h{k}{s}", FirmId = s, FirmName = s, StreetAddress = s, City = s, State = s, ZipCode = s, Country = s,
        }));
        var accountId = added.Payload.GetProperty("Id").GetInt32();

        Assert.That(await CountAsync("accounts"), Is.EqualTo(accounts + 1), added.O);
        await using (var db = await DatabaseProbe.OpenAsync(Host.DatabasePath()))
        {
            var row = await db.QuerySingleAsync<(string, string, string, string, string, string, string, string, string)>(
                "SELECT AccountName, AccountHandle, FirmId, FirmName, StreetAddress, City, State, ZipCode, Country FROM accounts WHERE AccountId = @accountId", new { accountId });
            Assert.That(row, Is.EqualTo((s, $"h{k}{s}", s, s, s, s, s, s, s)));
        }

        var linked = await Admin.CallAsync("AddUserAccount", Json(new { userName, accountHandle = $"h{k}{s}" }));
        Assert.That(linked.O, Is.EqualTo(Std.Ok));
        Assert.That(await Admin.UserAccountsAsync(userId), Is.EqualTo($"[{accountId}]"));
        await AssertDatabaseIntactAsync();
    }

    [TestCaseSource(nameof(Strings))]
    public async Task SyntaxCheckedAndLookupFields_Injection_Answer100Or104AndWriteNothing(string s)
    {
        var userId = await Admin.CreateUserAsync(Unique("target"));
        var accountId = await Admin.AddAccountAsync();
        var before = await Host.SnapshotAsync();
        (string Function, object Payload, int Code)[] calls =
        [
            ("AddUserPermission", new { UserId = userId, Permission = s }, 100),
            ("RevokeUserPermission", new { UserId = userId, Permission = s }, 100),
            ("AddUserAffiliateTag", new { UserId = userId, AffiliateTag = s }, 100),
            ("UpdateUserAffiliateTag", new { UserId = userId, AffiliateTag = s }, 100),
            ("AddUserAPIKey", new { UserId = userId, Permissions = new[] { "Trading", s } }, 100),
            ("CreateUser", new { UserInfo = new { UserName = Unique("ref"), Password = "password-123" }, AffiliateTag = s }, 100),
            ("CreateUser", new { UserInfo = new { UserName = Unique("mail"), Password = "password-123", Email = s.Replace("@", "", StringComparison.Ordinal) } }, 100),
            ("AddUserAccount", new { userName = s, accountId }, 104),
            ("AddUserAccount", new { userId, accountHandle = s }, 104),
            ("RemoveUserAccount", new { userName = s, accountId }, 104),
            ("AddUserAPIKey", new { UserName = s, Permissions = new[] { "Trading" } }, 104),
            ("GetUserInfo", new { UserName = s }, 104),
            .. Printable(s) == s ? [] : new (string, object, int)[]
            {
                ("CreateUser", new { UserInfo = new { UserName = Unique("name") + s, Password = "password-123" } }, 100),
                ("SetUserInfo", new { UserId = userId, UserName = "renamed" + s }, 100),
            },
        ];

        foreach (var (function, payload, code) in calls)
        {
            var reply = await Admin.CallAsync(function, Json(payload));
            Assert.That(reply.ErrorCode(), Is.EqualTo(code), $"{function} {Json(payload)} answered {reply.O}");
        }

        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
        await AssertDatabaseIntactAsync();
    }

    [Test]
    public async Task AddUserAffiliateTag_TagSpelledNULL_IsStoredAsThatTextNotSqlNull()
    {
        var userId = await Admin.CreateUserAsync(Unique("nulltag"));

        var reply = await Admin.CallAsync("AddUserAffiliateTag", Json(new { UserId = userId, AffiliateTag = "NULL" }));

        Assert.That(reply.O, Is.EqualTo(Std.Ok));
        Assert.That(await Host.ScalarAsync<string>((TestProvider.IsPostgres ? "SELECT pg_typeof(AffiliateTag)::text || ':' || AffiliateTag FROM affiliate_tags WHERE UserId = @userId" : "SELECT typeof(AffiliateTag) || ':' || AffiliateTag FROM affiliate_tags WHERE UserId = @userId"), new { userId }),
            Is.EqualTo("text:NULL"));
        await AssertDatabaseIntactAsync();
    }

    private async Task AssertDatabaseIntactAsync()
    {
        Assert.That(await SchemaAsync(), Is.EqualTo(_schema), "the schema changed");
        if (!TestProvider.IsPostgres)
            Assert.That(await Host.ScalarAsync<string>("PRAGMA integrity_check"), Is.EqualTo("ok"));
    }

    private async Task<string> SchemaAsync()
    {
        await using var db = await DatabaseProbe.OpenAsync(Host.DatabasePath());
        var rows = await db.QueryAsync<(string, string, string, string?)>(TestProvider.IsPostgres ? PostgresSchemaSql : "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name");
        return string.Join("\n", rows);
    }

    // Every table, column, index and function of the public schema, as PostgreSQL's catalog describes them.
    private const string PostgresSchemaSql = """
        SELECT 'column', table_name || '.' || column_name, data_type, column_default FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT 'index', indexname, tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT 'function', routine_name, routine_type, routine_definition FROM information_schema.routines WHERE routine_schema = 'public'
        ORDER BY 1, 2
        """;

    // User names refuse control and invisible characters (100), so the name fields take the string without them.
    private static string Printable(string s) =>
        string.Concat(s.Where(c => char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format)));

    private Task<long> CountAsync(string table) => Host.ScalarAsync<long>($"SELECT COUNT(*) FROM {table}");

    private async Task<string?[]> UserRowAsync(int userId)
    {
        await using var db = await DatabaseProbe.OpenAsync(Host.DatabasePath());
        var row = await db.QuerySingleAsync<(string, string, string, string, string, string, string, string)>(
            "SELECT UserName, Email, ExternalUserId, FederatedUserId, FirstName, LastName, DisplayName, FOLAccountName FROM users WHERE UserId = @userId", new { userId });
        return [row.Item1, row.Item2, row.Item3, row.Item4, row.Item5, row.Item6, row.Item7, row.Item8];
    }
}
