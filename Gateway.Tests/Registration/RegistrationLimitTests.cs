using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Registration;

/// <summary>calls-next.md, RegisterNewUser rules 1 and 10: off by default, and the per-address and overall hourly limits.</summary>
[TestFixture]
public sealed class RegistrationLimitTests
{
    private static readonly Transport[] Transports = AnonymousCalls.Both;

    private static string Payload(string userName, string password = "long-password-1") =>
        JsonSerializer.Serialize(new { UserInfo = new { UserName = userName, Email = userName + "@mail.example", Password = password } });

    private static string NewName() => "lim." + Guid.NewGuid().ToString("N")[..12];

    [Test]
    public async Task Register_OffByDefault_Answers106ForBothNamesAndCreatesNoOne([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync();
        var name = NewName();

        Assert.That(await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(name)), Is.EqualTo(Std.Error(106, "RegisterNewUser is disabled on this gateway")));
        Assert.That(await host.CallAnonymousAsync(transport, "registeruser", Payload(name)), Is.EqualTo(Std.Error(106, "RegisterUser is disabled on this gateway")));
        Assert.That(await host.ScalarAsync<long>("SELECT COUNT(*) FROM users"), Is.EqualTo(1), "only the bootstrap admin");
    }

    [Test]
    public async Task Register_AThousandFromOneAddress_AreCutAtThePerAddressLimit([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync("--Gateway:Registration:Enabled=true");
        var payloads = Enumerable.Range(0, 1000).Select(_ => Payload(NewName())).ToList();

        var replies = await host.CallManyAnonymousAsync(transport, "RegisterNewUser", payloads);

        var created = replies.Count(r => r.StartsWith("{\"result\":true", StringComparison.Ordinal));
        Assert.Multiple(async () =>
        {
            Assert.That(created, Is.EqualTo(5), "the default Gateway:Registration:PerAddressPerHour");
            Assert.That(replies.Count(r => r == Std.Error(101, "Rate limit exceeded")), Is.EqualTo(995));
            Assert.That(await host.ScalarAsync<long>("SELECT COUNT(*) FROM users"), Is.EqualTo(1 + 5));
        });
    }

    [Test]
    public async Task Register_FailedAndDryAttempts_CountTowardTheAddressLimit([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync("--Gateway:Registration:Enabled=true", "--Gateway:Registration:PerAddressPerHour=3");

        Assert.That(await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload("ab")), Does.Contain("\"errorcode\":100"));
        Assert.That(await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload("admin")), Does.Contain("\"errorcode\":100"));
        Assert.That(await host.CallAnonymousAsync(transport, "RegisterNewUser", Safety.WriteCallScenarios.With(Payload(NewName()), "DryRun", true)), Does.Contain("\"DryRun\":true"));
        var fourth = await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(NewName()));

        Assert.That(fourth, Is.EqualTo(Std.Error(101, "Rate limit exceeded")));
        Assert.That(await host.ScalarAsync<long>("SELECT COUNT(*) FROM users"), Is.EqualTo(1));
    }

    [Test]
    public async Task Register_OverTheOverallHourlyLimit_Answers101AndCreatesNoOne([ValueSource(nameof(Transports))] Transport transport)
    {
        await using var host = await TestHost.StartAsync("--Gateway:Registration:Enabled=true", "--Gateway:Registration:PerAddressPerHour=100",
            "--Gateway:Registration:PerHour=3");
        for (var i = 0; i < 3; i++)
            Assert.That(await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(NewName())), Does.StartWith("{\"result\":true"));
        // A refusal after the overall check (a taken name) gives its place back, so it does not use up the hour.
        var name = NewName();

        var reply = await host.CallAnonymousAsync(transport, "RegisterNewUser", Payload(name));

        Assert.That(reply, Is.EqualTo(Std.Error(101, "Rate limit exceeded")));
        Assert.That(await host.ScalarAsync<long>("SELECT COUNT(*) FROM users"), Is.EqualTo(1 + 3));
    }

    [Test]
    public async Task Register_DefaultPermissionsSetting_IsWhatANewUserGets()
    {
        await using var host = await TestHost.StartAsync("--Gateway:Registration:Enabled=true", "--Gateway:Registration:DefaultPermissions:0=AccountReadOnly");
        var reply = await host.CallAnonymousAsync(Transport.Http, "RegisterNewUser", Payload(NewName()));
        var userId = JsonDocument.Parse(reply).RootElement.GetProperty("UserId").GetInt32();
        using var admin = await host.ConnectAdminAsync();

        Assert.That((await admin.CallAsync("GetUserPermissions", $"{{\"UserId\":{userId}}}")).O, Is.EqualTo("[\"AccountReadOnly\"]"));
    }
}
