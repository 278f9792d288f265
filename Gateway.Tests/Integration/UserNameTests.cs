using Gateway.Tests.Support;
using static Gateway.Tests.Support.AccountSteps;

namespace Gateway.Tests.Integration;

/// <summary>
/// User names (calls.md "Domain"): one name per NFKC-normalized, case-folded key, whatever the spelling; control and
/// invisible characters refused; logins and every by-name lookup find a user by any spelling of its name.
/// </summary>
[TestFixture]
public sealed class UserNameTests : AdminFixture
{
    private const string Password = "password-123";

    private static string Suffix() => "-" + Guid.NewGuid().ToString("N")[..8];

    private Task<ReplyFrame> CreateAsync(string userName) =>
        Admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = userName, Password } }));

    private Task<long> UserCountAsync() => Host.ScalarAsync<long>("SELECT COUNT(*) FROM users");

    [TestCase("ÉMILE")]
    [TestCase("e\u0301mile")]
    [TestCase("E\u0301mile")]
    [TestCase("ｅ\u0301ｍｉｌｅ")]
    public async Task CreateUser_OtherSpellingOfTakenAccentedName_Answers101AndAddsNoUser(string spelling)
    {
        var suffix = Suffix();
        await Admin.CreateUserAsync("émile" + suffix);
        var users = await UserCountAsync();

        var reply = await CreateAsync(spelling + suffix);

        Assert.That(reply.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
        Assert.That(await UserCountAsync(), Is.EqualTo(users));
    }

    [TestCase("ａｄｍｉｎ")]
    [TestCase("Admin")]
    [TestCase("ADMİN")]
    [TestCase("admın")]
    [TestCase(" admin\u00A0")]
    public async Task SetUserInfo_RenameToAnotherSpellingOfAdmin_Answers101AndKeepsName(string spelling)
    {
        var name = Unique("trader");
        var (user, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using (user)
        {
            var reply = await user.CallAsync("SetUserInfo", Json(new { UserId = userId, UserName = spelling }));

            Assert.That(reply.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
            Assert.That(await Host.ScalarAsync<string>("SELECT UserName FROM users WHERE UserId = @userId", new { userId }), Is.EqualTo(name));
        }
    }

    [TestCase("admin\u200B", "U+200B at position 6")]
    [TestCase("ad\tmin", "U+0009 at position 3")]
    [TestCase("admin\n", "U+000A at position 6")]
    [TestCase("\u202Eadmin", "U+202E at position 1")]
    [TestCase("ad\u2028min", "U+2028 at position 3")]
    [TestCase("admin\u3164", "U+3164 at position 6")]
    [TestCase("\U0001F600\uFEFFx", "U+FEFF at position 2")]
    public async Task SetUserInfo_RenameWithControlOrInvisibleCharacter_Answers100NamingItAndKeepsName(string spelling, string where)
        => await RenameRefusedAsync(spelling, $"UserName must not contain control or invisible characters ({where})");

    // U+0000 is refused before the call, in any text of any call (no stored text may hold it).
    [Test]
    public async Task SetUserInfo_RenameWithNul_Answers100NamingTheKeyAndKeepsName()
        => await RenameRefusedAsync("Admin\u0000", "UserName holds the character U+0000 (NUL), which no text may hold");

    private async Task RenameRefusedAsync(string spelling, string detail)
    {
        var name = Unique("trader");
        var (user, userId) = await Host.ConnectNewUserAsync(Admin, name);
        using (user)
        {
            var reply = await user.CallAsync("SetUserInfo", Json(new { UserId = userId, UserName = spelling }));

            Assert.That(reply.O, Is.EqualTo(Std.Error(100, detail)));
            Assert.That(await Host.ScalarAsync<string>("SELECT UserName FROM users WHERE UserId = @userId", new { userId }), Is.EqualTo(name));
        }
    }

    [TestCase("ann\tlee", "U+0009 at position 4")]
    [TestCase("ann\nlee", "U+000A at position 4")]
    [TestCase("ann\r\n", "U+000D at position 4")]
    public async Task CreateUser_TabOrNewlineInName_Answers100AndAddsNoUser(string name, string where)
    {
        var users = await UserCountAsync();

        var reply = await CreateAsync(name + Suffix());

        Assert.That(reply.O, Is.EqualTo(Std.Error(100, $"UserInfo.UserName must not contain control or invisible characters ({where})")));
        Assert.That(await UserCountAsync(), Is.EqualTo(users));
    }

    [TestCase("ÉMILE")]
    [TestCase("e\u0301mile")]
    [TestCase("Émile")]
    public async Task AuthenticateUser_OtherSpellingOfName_LogsInThatUser(string spelling)
    {
        var suffix = Suffix();
        var userId = await Admin.CreateUserAsync("émile" + suffix, Password);
        using var client = await Host.ConnectAsync();

        var login = await client.AuthenticateAsync(spelling + suffix, Password);

        Assert.That(login.GetProperty("Authenticated").GetBoolean(), Is.True, login.ToString());
        Assert.That(login.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(userId));
        Assert.That(login.GetProperty("User").GetProperty("UserName").GetString(), Is.EqualTo("émile" + suffix));
    }

    [Test]
    public async Task NameLookups_OtherSpellingOfName_FindThatUser()
    {
        var suffix = Suffix();
        var userId = await Admin.CreateUserAsync("émile" + suffix);
        var accountId = await Admin.AddAccountAsync();

        var linked = await Admin.CallAsync("AddUserAccount", Json(new { userName = "ÉMILE" + suffix, accountId }));
        var info = await Admin.CallAsync("GetUserInfo", Json(new { UserName = "e\u0301mile" + suffix }));
        var both = await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId, UserName = "ÉMILE" + suffix }));
        var accounts = await Admin.CallAsync("GetUserAccounts", Json(new { UserName = "ｅ\u0301ｍｉｌｅ" + suffix }));

        Assert.That(linked.O, Is.EqualTo(Std.Ok));
        Assert.That(info.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), info.O);
        Assert.That(both.Payload.GetProperty("UserId").GetInt32(), Is.EqualTo(userId), both.O);
        Assert.That(accounts.O, Is.EqualTo($"[{accountId}]"));
    }

    [TestCase("ｊａｎｅ#", "jane#")]
    [TestCase("Zoe\u0301#", "Zoé#")]
    [TestCase("\u3000 Ｌｅｅ#\u00A0", "Lee#")]
    public async Task CreateUser_CompatibilityOrDecomposedSpelling_StoresItsNfkcFormWithCaseKept(string sent, string stored)
    {
        var suffix = Suffix();

        var userId = await Admin.CreateUserAsync(sent.Replace("#", suffix, StringComparison.Ordinal));

        var info = await Admin.CallAsync("GetUserInfo", Json(new { UserId = userId }));
        Assert.That(info.Payload.GetProperty("UserName").GetString(), Is.EqualTo(stored.Replace("#", suffix, StringComparison.Ordinal)));
    }

    [Test]
    public async Task CreateUser_NameDifferingOnlyInInnerWhiteSpace_Answers101()
    {
        var suffix = Suffix();
        await Admin.CreateUserAsync("ann lee" + suffix);

        var reply = await CreateAsync("ann \u00A0 lee" + suffix);

        Assert.That(reply.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
    }

    [Test]
    public async Task CreateUser_SharpSAndDoubleS_AreDifferentNames()
    {
        var suffix = Suffix();
        await Admin.CreateUserAsync("straße" + suffix);

        var reply = await CreateAsync("strasse" + suffix);

        Assert.That(reply.Payload.GetProperty("result").GetBoolean(), Is.True, reply.O);
    }

#if !POSTGRES
    // A legacy SQLite file, migrated up: PostgreSQL databases start at their own first schema.
    [Test]
    public async Task Start_OldDatabaseWithNamesTheRulesNowJoinOrRefuse_MigratesAndEveryUserKeepsWorking()
    {
        var dir = Directory.CreateTempSubdirectory("gateway-legacy-");
        try
        {
            var path = Path.Combine(dir.FullName, "gateway.db");
            await LegacyDatabase.CreateAsync(path, (1, "admin", "admin-password-1"), (2, "émile", "first-password"), (3, "ÉMILE", "second-password"),
                (4, "old\tname", "fourth-password"));
            await using var host = await TestHost.StartAsync($"--Gateway:DatabasePath={path}");
            using var admin = await host.ConnectAsync();
            using var first = await host.ConnectAsync();
            using var second = await host.ConnectAsync();
            using var neither = await host.ConnectAsync();
            using var fourth = await host.ConnectAsync();

            await admin.LoginAsync("ADMIN", "admin-password-1");
            var firstLogin = await first.AuthenticateAsync("émile", "first-password");
            var secondLogin = await second.AuthenticateAsync("ÉMILE", "second-password");
            var otherSpelling = await neither.AuthenticateAsync("Émile", "first-password");
            var created = await admin.CallAsync("CreateUser", Json(new { UserInfo = new { UserName = "e\u0301milE", Password } }));
            var profile = await second.CallAsync("SetUserInfo", Json(new { FirstName = "Second" }));
            var renamed = await second.CallAsync("SetUserInfo", Json(new { UserName = "Émile" }));
            await fourth.LoginAsync("old\tname", "fourth-password");
            var sentBack = await fourth.CallAsync("SetUserInfo", Json(new { UserName = "old\tname", FirstName = "Fourth" }));

            Assert.That(firstLogin.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(2), firstLogin.ToString());
            Assert.That(secondLogin.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(3), secondLogin.ToString());
            Assert.That(otherSpelling.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(2), "no exact spelling: the oldest user");
            Assert.That(created.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
            Assert.That(profile.O, Does.Contain("\"FirstName\":\"Second\""));
            Assert.That(renamed.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
            Assert.That(sentBack.O, Does.Contain("\"FirstName\":\"Fourth\""), "a stored name sent back unchanged is no rename");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
#endif

}
