using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Registration;

/// <summary>calls-next.md, RegisterNewUser: each rule that states an errorcode, over the socket and over HTTP.</summary>
[TestFixture]
public sealed class RegistrationTests : AdminFixture
{
    private static readonly Transport[] Transports = AnonymousCalls.Both;
    private static readonly string[] OperatorOnly = ["Operator"];
    private static readonly string[] PowerPermissions = ["Operator", "GetAuditLog"];

    protected override string[] Settings =>
        ["--Gateway:Registration:Enabled=true", "--Gateway:Registration:PerAddressPerHour=1000000", "--Gateway:Registration:PerHour=1000000"];

    private static string Payload(string userName, string? email = null, string password = "long-password-1", object? config = null, string? tag = null) =>
        JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Email = email ?? $"{userName}@mail.example", passwordHash = password }, UserConfig = config, AffiliateTag = tag });

    private static string NewName(string prefix) => prefix + "." + Guid.NewGuid().ToString("N")[..10];

    private async Task<int> RegisterAsync(Transport transport, string payload, string function = "RegisterNewUser")
    {
        var reply = await Host.CallAnonymousAsync(transport, function, payload);
        using var doc = JsonDocument.Parse(reply);
        Assert.That(doc.RootElement.GetProperty("errorcode").GetInt32(), Is.Zero, reply);
        return doc.RootElement.GetProperty("UserId").GetInt32();
    }

    [Test]
    public async Task Register_On_AnswersStdPlusUserIdAndTheUserHasExactlyTheDefaultPermissions(
        [ValueSource(nameof(Transports))] Transport transport, [Values("RegisterNewUser", "RegisterUser")] string function)
    {
        var name = NewName("reg");

        var reply = await Host.CallAnonymousAsync(transport, function, Payload(name));

        var userId = JsonDocument.Parse(reply).RootElement.GetProperty("UserId").GetInt32();
        Assert.That(reply, Is.EqualTo(Std.Ok[..^1] + $",\"UserId\":{userId}}}"), "Std plus UserId, no session token");
        var permissions = await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}");
        Assert.That(permissions.O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
        var info = (await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload;
        Assert.That(info.GetProperty("AccountId").GetInt32(), Is.Zero);
        Assert.That(info.GetProperty("EmailVerified").GetBoolean(), Is.False);
        using var socket = await Host.ConnectAsync();
        await socket.LoginAsync(name, "long-password-1");
    }

    [Test]
    public async Task Register_EveryPowerFieldSent_IsIgnored([ValueSource(nameof(Transports))] Transport transport)
    {
        var name = NewName("power");
        var payload = JsonSerializer.Serialize(new
        {
            UserInfo = new
            {
                UserName = name, Email = name + "@mail.example", Password = "long-password-1", UserId = 1, AccountId = 1, EmailVerified = true,
                Use2FA = true, Locked = true, Active = false, AffiliateId = 9, RefererId = 1, ExternalUserId = "crm-" + name, UserType = 2, RoleType = 3,
                Permissions = OperatorOnly,
            },
            OperatorId = 1, Permissions = PowerPermissions, Permission = "Operator", AccountId = 1, UserId = 1,
        });

        var userId = await RegisterAsync(transport, payload);

        Assert.That((await Admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[\"Deposit\",\"Trading\",\"Withdraw\"]"));
        var info = (await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload;
        Assert.Multiple(() =>
        {
            Assert.That(userId, Is.Not.EqualTo(1));
            Assert.That(info.GetProperty("AccountId").GetInt32(), Is.Zero);
            Assert.That(info.GetProperty("EmailVerified").GetBoolean(), Is.False);
            Assert.That(info.GetProperty("Use2FA").GetBoolean(), Is.False);
            Assert.That(info.GetProperty("Locked").GetBoolean(), Is.False);
            Assert.That(info.GetProperty("RefererId").GetInt32(), Is.Zero);
            Assert.That(info.GetProperty("ExternalUserId").ToString(), Is.Not.EqualTo("crm-" + name));
        });
    }

    [TestCase("ab")]
    [TestCase("a-name-that-is-sixty-five-characters-long-which-is-one-too-many-x")]
    [TestCase("bob smith")]
    [TestCase("ａｄｍｉｎ2")]
    [TestCase("\u0430lice")]
    [TestCase("adm\u0131n2")]
    [TestCase("e\u0301mile")]
    [TestCase("bob\n")]
    [TestCase("zero\u200Bwidth")]
    [TestCase("")]
    public async Task Register_UserNameOutsideTheAsciiRule_Answers100(string userName)
    {
        foreach (var transport in Transports)
        {
            var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(userName, "x@mail.example"));
            Assert.That(reply, Is.EqualTo(Std.Error(100, "UserName must be 3-64 characters: letters, digits, . _ - @")), $"{transport}: {userName}");
        }
    }

    [TestCase("admin")]
    [TestCase("ADMIN")]
    [TestCase("Administrator")]
    [TestCase("Support")]
    [TestCase("root")]
    [TestCase("SYSTEM")]
    [TestCase("operator")]
    public async Task Register_ReservedUserName_Answers100NotAvailable(string userName)
    {
        foreach (var transport in Transports)
        {
            var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(userName, NewName("r") + "@mail.example"));
            Assert.That(reply, Is.EqualTo(Std.Error(100, "UserName is not available")), transport.ToString());
        }
    }

    [Test]
    public async Task Register_NameOfAnExistingUserInAnotherCaseOrWidth_Answers101WithTheSharedText()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // CreateUser keeps names unique by their NFKC case-folded key: a fullwidth name is stored as its ASCII form.
        await Admin.CreateUserAsync($"Ｊａｎｅ{suffix}");
        foreach (var (transport, spelling) in new[] { (Transport.Socket, $"jane{suffix}"), (Transport.Http, $"JANE{suffix}") })
        {
            var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(spelling, NewName("e") + "@mail.example"));
            Assert.That(reply, Is.EqualTo(Std.Error(101, "UserName or Email is already registered")), transport.ToString());
        }
    }

    [Test]
    public async Task Register_TakenEmailInAnyCase_Answers101WithTheSameText([ValueSource(nameof(Transports))] Transport transport)
    {
        var first = NewName("mail");
        await RegisterAsync(transport, Payload(first, first + "@mail.example"));

        var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(NewName("other"), first.ToUpperInvariant() + "@MAIL.example"));

        Assert.That(reply, Is.EqualTo(Std.Error(101, "UserName or Email is already registered")));
    }

    [TestCase(null)]
    [TestCase("no-at-sign.example")]
    [TestCase("two@@mail.example")]
    [TestCase("a@b@mail.example")]
    [TestCase("@mail.example")]
    [TestCase("someone@localhost")]
    [TestCase("some one@mail.example")]
    [TestCase("tab\t@mail.example")]
    public async Task Register_EmailNotAnAddress_Answers100(string? email)
    {
        var payload = JsonSerializer.Serialize(new { UserInfo = new { UserName = NewName("m"), Email = email, Password = "long-password-1" } });
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "RegisterNewUser", payload), Is.EqualTo(Std.Error(100, "Email is not a valid address")), transport.ToString());
    }

    [Test]
    public async Task Register_EmailOver254Characters_Answers100()
    {
        var email = new string('a', 250) + "@b.io";
        var payload = JsonSerializer.Serialize(new { UserInfo = new { UserName = NewName("m"), Email = email, Password = "long-password-1" } });
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "RegisterNewUser", payload), Is.EqualTo(Std.Error(100, "Email is not a valid address")));
    }

    [TestCase("short-7", null)]
    [TestCase("", null)]
    [TestCase("{name}", null)]
    [TestCase("{NAME}", null)]
    [TestCase("{email}", null)]
    [TestCase("x129", null)]
    [TestCase("long-password-1", "long-password-2")]
    public async Task Register_PasswordOutsideTheRule_Answers100(string password, string? secondKey)
    {
        foreach (var transport in Transports)
        {
            var name = NewName("pw");
            var email = name + "@mail.example";
            var clear = password.Replace("{name}", name, StringComparison.Ordinal).Replace("{NAME}", name.ToUpperInvariant(), StringComparison.Ordinal)
                .Replace("{email}", email, StringComparison.Ordinal);
            if (clear == "x129")
                clear = new string('x', 129);
            var payload = secondKey is null
                ? JsonSerializer.Serialize(new { UserInfo = new { UserName = name, Email = email, passwordHash = clear } })
                : JsonSerializer.Serialize(new { UserInfo = new { UserName = name, Email = email, PasswordHash = clear, Password = secondKey } });

            var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", payload);

            Assert.That(reply, Is.EqualTo(Std.Error(100, secondKey is null
                ? "Password must be 8-128 characters and differ from UserName and Email"
                : "UserInfo.Password and UserInfo.PasswordHash differ; send the password once")), $"{transport}: {password}");
            Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @name", new { name }), Is.Zero);
        }
    }

    [Test]
    public async Task Register_UserConfig_IsStoredWithTheUser([ValueSource(nameof(Transports))] Transport transport)
    {
        var name = NewName("cfg");
        var config = new object[] { new { Key = "Language", Value = "en" }, new { Name = "firstName", Value = "Ana" }, new { Key = "level", Value = 158 } };

        var userId = await RegisterAsync(transport, Payload(name, config: config));

        var stored = await Host.ScalarAsync<string>((TestProvider.IsPostgres ? "SELECT string_agg(Key || '=' || Value, ';' ORDER BY Key) FROM user_config WHERE UserId = @userId" : "SELECT group_concat(\"Key\" || '=' || Value, ';') FROM (SELECT * FROM user_config WHERE UserId = @userId ORDER BY \"Key\")"), new { userId });
        Assert.That(stored, Is.EqualTo("firstName=Ana;Language=en;level=158"));
    }

    [TestCase("GooglePassPhrase", 100, "config key 'GooglePassPhrase' is reserved")]
    [TestCase("2FAType", 100, "config key '2FAType' is reserved")]
    [TestCase("verificationlevel", 100, "config key 'verificationlevel' is reserved")]
    [TestCase("Operator", 100, "config key 'Operator' is reserved")]
    [TestCase("levelIncreaseStatus", 20, "config key 'levelIncreaseStatus' can be set or removed only by an operator")]
    [TestCase("Operator.Note", 20, "config key 'Operator.Note' can be set or removed only by an operator")]
    public async Task Register_ReservedOrProtectedConfigKey_IsRefusedAndCreatesNoOne(string key, int code, string detail)
    {
        foreach (var transport in Transports)
        {
            var name = NewName("key");
            var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(name, config: new[] { new { Key = "Language", Value = "en" }, new { Key = key, Value = "pass" } }));

            Assert.That(reply, Is.EqualTo(Std.Error(code, detail)), transport.ToString());
            Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @name", new { name }), Is.Zero);
        }
    }

    [TestCase("[{\"Key\":\"a\",\"Value\":null}]", 100, "UserConfig[0].Value is required")]
    [TestCase("[{\"Key\":\"a\",\"Value\":{\"x\":1}}]", 100, "UserConfig[0].Value must be a string, a number or a boolean, not an object or array")]
    [TestCase("[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\"A\",\"Value\":\"2\"}]", 100, "UserConfig names key 'A' twice")]
    [TestCase("[{\"Key\":\"a\",\"Value\":\"1\"},{\"Key\":\" b\",\"Value\":\"2\"}]", 100, "UserConfig[1].Key must be 1-64 printable ASCII characters")]
    [TestCase("[{\"Key\":\"a\",\"Name\":\"b\",\"Value\":\"1\"}]", 100, "UserConfig[0] gives Key 'a' and Name 'b'; send one of them")]
    public async Task Register_MalformedUserConfig_Answers100(string config, int code, string detail)
    {
        var name = NewName("bad");
        var payload = $"{{\"UserInfo\":{{\"UserName\":\"{name}\",\"Email\":\"{name}@mail.example\",\"Password\":\"long-password-1\"}},\"UserConfig\":{config}}}";
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "RegisterNewUser", payload), Is.EqualTo(Std.Error(code, detail)), transport.ToString());
    }

    [Test]
    public async Task Register_MoreThan100ConfigKeys_Answers101()
    {
        var config = Enumerable.Range(0, 101).Select(i => new { Key = $"k{i}", Value = "v" }).ToArray();
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(NewName("many"), config: config)),
                Is.EqualTo(Std.Error(101, "UserConfig has 101 keys; the limit is 100")));
    }

    [Test]
    public async Task Register_UnknownAffiliateTag_Answers104AndAKnownOneSetsTheReferer([ValueSource(nameof(Transports))] Transport transport)
    {
        var unknown = await Host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(NewName("tag"), tag: "no_such_tag_x"));
        Assert.That(unknown, Is.EqualTo(Std.Error(104, "affiliate tag 'no_such_tag_x' does not exist")));

        var referrer = await Admin.CreateUserAsync(AccountSteps.Unique("referrer"));
        var tag = "t_" + Guid.NewGuid().ToString("N")[..10];
        Assert.That((await Admin.CallAsync("AddUserAffiliateTag", $"{{\"userId\":{referrer},\"affiliateTag\":\"{tag}\"}}")).O, Is.EqualTo(Std.Ok));
        var userId = await RegisterAsync(transport, Payload(NewName("tagged"), tag: tag.ToUpperInvariant()));

        Assert.That((await Admin.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}")).Payload.GetProperty("RefererId").GetInt32(), Is.EqualTo(referrer));
    }

    [Test]
    public async Task Register_AnotherOmsId_Answers104()
    {
        var payload = JsonSerializer.Serialize(new { UserInfo = new { UserName = NewName("oms"), Email = "o@mail.example", Password = "long-password-1" }, OMSId = 2 });
        foreach (var transport in Transports)
            Assert.That(await Host.CallAnonymousAsync(transport, "RegisterNewUser", payload), Is.EqualTo(Std.Error(104, "OMSId 2 does not exist; this gateway hosts OMS 1")));
    }

    [TestCase("RegisterNewUser")]
    [TestCase("registeruser")]
    [TestCase("ResetPassword2")]
    public async Task Http_GetOfAPasswordCall_Answers106NotOverGet(string function)
    {
        var reply = await Host.GetAsync($"/AP/{function}?UserName=bob&Password=secret-password-1");

        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
        var canonical = function.Equals("registeruser", StringComparison.Ordinal) ? "RegisterUser" : function;
        Assert.That(reply.Body, Is.EqualTo(Std.Error(106, $"{canonical} is not available over GET")));
    }

    [Test]
    public async Task Register_ClientRequestIdWithoutASession_Answers100AndCreatesNoOne()
    {
        var name = NewName("rid");
        var payload = WithKey(Payload(name), "ClientRequestId", "id-1");
        Assert.That(await Host.CallAnonymousAsync(Transport.Socket, "RegisterNewUser", payload), Is.EqualTo(Std.Error(100, "ClientRequestId needs a logged-in session")));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.HttpUri, "/AP/RegisterNewUser"))
        {
            Content = new StringContent(Payload(name), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "id-2");
        Assert.That((await Host.SendAsync(request)).Body, Is.EqualTo(Std.Error(100, "ClientRequestId needs a logged-in session")));
        Assert.That(await Host.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE UserName = @name", new { name }), Is.Zero);
    }

    [Test]
    public async Task Register_DryRunWithoutASession_AnswersTheRealReplyPlusDryRunAndCreatesNoOne([ValueSource(nameof(Transports))] Transport transport)
    {
        var name = NewName("dry");
        var before = await Host.SnapshotAsync();

        var reply = await Host.CallAnonymousAsync(transport, "RegisterNewUser", WithKey(Payload(name), "DryRun", true));

        Assert.That(reply, Does.Match("^\\{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null,\"UserId\":\\d+,\"DryRun\":true\\}$"));
        Assert.That(await Host.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Register_Audit_NamesNoActorTheNewUserAsTargetAndNoPassword()
    {
        var name = NewName("audit");
        var userId = await RegisterAsync(Transport.Http, Payload(name, password: "audit-password-xyz"));

        var log = await Admin.CallAsync("GetAuditLog", $"{{\"TargetUserId\":{userId},\"Function\":\"RegisterNewUser\"}}");
        var record = log.Payload[0];
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("UserId").GetInt32(), Is.Zero);
            Assert.That(record.GetProperty("TargetUserId").GetInt32(), Is.EqualTo(userId));
            Assert.That(record.GetProperty("Before").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(record.GetProperty("After").GetProperty("UserName").GetString(), Is.EqualTo(name));
            Assert.That(log.O, Does.Not.Contain("audit-password-xyz"));
            Assert.That(LogCapture.Lines.Any(l => l.Contains("registration: user " + name, StringComparison.Ordinal) && l.StartsWith("Warning Gateway.Security", StringComparison.Ordinal)));
            Assert.That(LogCapture.Lines.Any(l => l.Contains("audit-password-xyz", StringComparison.Ordinal)), Is.False);
        });
    }

    [Test]
    public async Task ClientShapes_ApexSampleRequestsAndTheWebFrontEndsLowerCaseKey_AnswerWhatTheLibrariesParse()
    {
        var name = NewName("apex");
        // APEX's RegisterNewUser sample: Name for the config key, an OperatorId, an empty AffiliateTag.
        var register = $"{{\"UserInfo\":{{\"UserName\":\"{name}\",\"passwordHash\":\"long-password-1\",\"Email\":\"{name}@mail.example\"}},"
            + "\"UserConfig\":[{\"Name\":\"Language\",\"Value\":\"en\"}],\"AffiliateTag\":\"\",\"OperatorId\":1}";
        using var socket = await Host.ConnectAsync();

        var registered = await socket.CallAsync("RegisterUser", register);
        // AlphaPoint's web front-end sends {userName} as soon as the socket opens; foxbit-exapi reads the generic response.
        var reset = await socket.CallAsync("ResetPassword", $"{{\"userName\":\"{name}\"}}");

        Assert.That(registered.M, Is.EqualTo(1));
        Assert.That(registered.Payload.GetProperty("result").GetBoolean(), Is.True, registered.O);
        Assert.That(registered.Payload.GetProperty("UserId").GetInt32(), Is.Positive);
        Assert.That(reset.O, Is.EqualTo(Std.Ok));
    }

    private static string WithKey(string payload, string key, object value) => Safety.WriteCallScenarios.With(payload, key, value);
}
