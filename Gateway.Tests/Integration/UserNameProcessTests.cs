using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// The gateway as shipped, a process with its own runtime settings: it normalizes user names (ICU, not invariant
/// mode), and where normalization cannot work it refuses to start instead of keeping names apart by code points.
/// </summary>
[TestFixture]
public sealed class UserNameProcessTests
{
    private const string AdminPassword = "process-admin-password-1";

    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("gateway-names-");

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    private static Dictionary<string, string> Environment(params (string Key, string Value)[] more) =>
        new[] { ("GATEWAY_ADMIN_PASSWORD", AdminPassword) }.Concat(more).ToDictionary(p => p.Item1, p => p.Item2);

    [Test]
    public async Task Start_ShippedGateway_TreatsEverySpellingOfANameAsOne()
    {
        await using var host = await HostProcess.StartAsync(_dir.FullName, Environment());
        using var admin = await TestClient.ConnectAsync(host.WsUri);
        using var emile = await TestClient.ConnectAsync(host.WsUri);

        await admin.LoginAsync("ＡＤＭＩＮ", AdminPassword);
        var userId = await admin.CreateUserAsync("émile", "emile-password-1");
        var decomposed = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = "e\u0301mile", Password = "other-password-1" } }));
        var login = await emile.AuthenticateAsync("ÉMILE", "emile-password-1");

        Assert.That(decomposed.O, Is.EqualTo(Std.Error(101, "UserName is already used by another user")));
        Assert.That(login.GetProperty("User").GetProperty("UserId").GetInt32(), Is.EqualTo(userId), login.ToString());
    }

    [Test]
    public async Task Start_InvariantGlobalizationForced_RefusesToStartNamingTheCause()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HostProcess.StartAsync(_dir.FullName, Environment(("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "true"))));

        Assert.That(failed?.Message, Does.Contain("exited with").And.Contain("Unicode normalization does not work in this process"));
    }
}
