using Gateway.Startup;
using Gateway.Tests.Support;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Startup;

/// <summary>Each setting's rule, and the one line that names the key, the value and the rule.</summary>
[TestFixture]
public sealed class SettingsCheckTests
{
    [TestCase("Gateway:Limits:MaxMessageBytes", "-5", "Gateway:Limits:MaxMessageBytes is -5; it must be between 1024 and 16777216")]
    [TestCase("Gateway:Limits:MaxMessageBytes", "abc", "Gateway:Limits:MaxMessageBytes is abc; it must be a whole number between 1024 and 16777216")]
    [TestCase("Gateway:Limits:MaxOpenSockets", "0", "Gateway:Limits:MaxOpenSockets is 0; it must be at least 1")]
    [TestCase("Gateway:Limits:RequestBurst", "10", "Gateway:Limits:RequestBurst is 10; it must be at least Gateway:Limits:RequestsPerSecond (1000)")]
    [TestCase("Gateway:Limits:CloseTimeoutSeconds", "0", "Gateway:Limits:CloseTimeoutSeconds is 0; it must be between 1 and 60")]
    [TestCase("Gateway:Limits:AnonymousTimeoutSeconds", "-1", "Gateway:Limits:AnonymousTimeoutSeconds is -1; it must be a number greater than 0 and at most 86400")]
    [TestCase("Gateway:Limits:AllowedOrigins:0", "example.com", "Gateway:Limits:AllowedOrigins:0 is example.com; it must be * or an origin scheme://host[:port] with scheme http or https")]
    [TestCase("Gateway:Limits:AllowedOrigins:0", "https://example.com/app", "Gateway:Limits:AllowedOrigins:0 is https://example.com/app; it must be * or an origin scheme://host[:port] with scheme http or https")]
    [TestCase("Gateway:Limits:MaxPageSize", "0", "Gateway:Limits:MaxPageSize is 0; it must be between 1 and 100000")]
    [TestCase("Gateway:Limits:ConfigKeysPerUser", "-1", "Gateway:Limits:ConfigKeysPerUser is -1; it must be between 1 and 100000")]
    [TestCase("Gateway:Limits:ConfigValueChars", "0", "Gateway:Limits:ConfigValueChars is 0; it must be between 1 and 1000000")]
    [TestCase("Gateway:Config:ProtectedKeys:0", " kyc", "Gateway:Config:ProtectedKeys:0 is  kyc; it must be a config key of 1-64 printable ASCII characters without leading or trailing spaces")]
    [TestCase("Gateway:Config:ProtectedKeys:0", "userSecret", "Gateway:Config:ProtectedKeys:0 is userSecret; it must be a config key that is not reserved (no one may set a reserved key)")]
    [TestCase("Gateway:Security:PasswordIterations", "99999", "Gateway:Security:PasswordIterations is 99999; it must be between 100000 and 10000000")]
    [TestCase("Gateway:Security:SessionTimeoutMinutes", "0", "Gateway:Security:SessionTimeoutMinutes is 0; it must be a number greater than 0 and at most 525600")]
    [TestCase("Gateway:Security:LockoutFailures", "1.5", "Gateway:Security:LockoutFailures is 1.5; it must be a whole number between 1 and 1000")]
    [TestCase("Gateway:DatabasePath", "", "Gateway:DatabasePath is empty; it must be the path of a file")]
    [TestCase("Gateway:DatabasePath", "data/", "Gateway:DatabasePath is data/; it must be the path of a file, not of a folder")]
    [TestCase("Gateway:Registration:DefaultPermissions:0", "Operator", "Gateway:Registration:DefaultPermissions:0 is Operator; it must be one of AccountReadOnly, Deposit, Trading, Withdraw")]
    [TestCase("Gateway:Registration:DefaultPermissions:0", "GetAuditLog", "Gateway:Registration:DefaultPermissions:0 is GetAuditLog; it must be one of AccountReadOnly, Deposit, Trading, Withdraw")]
    [TestCase("Gateway:Registration:Enabled", "yes", "Gateway:Registration:Enabled is yes; it must be true or false")]
    [TestCase("Gateway:Registration:PerAddressPerHour", "0", "Gateway:Registration:PerAddressPerHour is 0; it must be at least 1")]
    [TestCase("Gateway:Registration:MinPasswordLength", "4", "Gateway:Registration:MinPasswordLength is 4; it must be between 8 and 128")]
    [TestCase("Gateway:PasswordReset:CodeMinutes", "0", "Gateway:PasswordReset:CodeMinutes is 0; it must be a number greater than 0 and at most 1440")]
    [TestCase("Gateway:PasswordReset:PerUserNamePerHour", "0", "Gateway:PasswordReset:PerUserNamePerHour is 0; it must be at least 1")]
    [TestCase("Gateway:Mail:Security", "tls", "Gateway:Mail:Security is tls; it must be StartTls, SslOnConnect, Auto or None")]
    [TestCase("Gateway:Mail:Port", "0", "Gateway:Mail:Port is 0; it must be between 1 and 65535")]
    [TestCase("Gateway:Mail:PickupDirectory", "/tmp/mail", "Gateway:PasswordReset:LinkTemplate is empty; it must be a link containing {UserId} and {PendingCode} when mail is configured")]
    [TestCase("Gateway:Mail:Host", "smtp.example.com", "Gateway:PasswordReset:LinkTemplate is empty; it must be a link containing {UserId} and {PendingCode} when mail is configured")]
    public void FirstProblem_SettingBreaksItsRule_NamesKeyValueAndRule(string key, string value, string expected)
    {
        Assert.That(SettingsCheck.FirstProblem(Settings((key, value))), Is.EqualTo(expected));
    }

    [Test]
    public void FirstProblem_LinkTemplateWithoutTheCode_IsRefusedWhenMailIsConfigured()
    {
        var problem = SettingsCheck.FirstProblem(Settings(("Gateway:Mail:PickupDirectory", "/tmp/mail"), ("Gateway:PasswordReset:LinkTemplate", "https://x.example/reset?u={UserId}")));

        Assert.That(problem, Is.EqualTo("Gateway:PasswordReset:LinkTemplate is https://x.example/reset?u={UserId}; it must be a link containing {UserId} and {PendingCode} when mail is configured"));
    }

    [Test]
    public void FirstProblem_SmtpAndPickupDirectoryBoth_IsRefused()
    {
        var problem = SettingsCheck.FirstProblem(Settings(("Gateway:Mail:Host", "smtp.example.com"), ("Gateway:Mail:PickupDirectory", "/tmp/mail"),
            ("Gateway:PasswordReset:LinkTemplate", "https://x.example/r?u={UserId}&c={PendingCode}")));

        Assert.That(problem, Is.EqualTo("Gateway:Mail:PickupDirectory is /tmp/mail; it must be empty when Gateway:Mail:Host is set: mail goes one way"));
    }

    [Test]
    public void FirstProblem_MalformedMasterKey_NamesTheKeyWithoutItsValue()
    {
        var problem = SettingsCheck.FirstProblem(Settings(("Gateway:Security:MasterKey", "c2hvcnQta2V5")));

        Assert.That(problem, Is.EqualTo("Gateway:Security:MasterKey is set (the value is not shown); it must be base64 of at least 32 bytes"));
    }

    [Test]
    public void FirstProblem_RepositorySettings_FindsNone()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Repository.File("appsettings.json")).Build();

        Assert.That(SettingsCheck.FirstProblem(configuration), Is.Null);
    }

    [Test]
    public void FirstProblem_SettingsTheTestsAndBenchmarksUse_FindsNone()
    {
        var configuration = Settings(
            ("Gateway:Limits:RequestsPerSecond", "100000000"), ("Gateway:Limits:RequestBurst", "100000000"),
            ("Gateway:Limits:MaxSocketsPerUser", "1000000"), ("Gateway:Limits:AnonymousTimeoutSeconds", "1"),
            ("Gateway:Security:LockoutMinutes", "0.05"), ("Gateway:Security:SessionSweepSeconds", "0.1"),
            ("Gateway:Limits:AllowedOrigins:0", "*"), ("Gateway:Limits:AllowedOrigins:1", "https://app.example.com:8443"),
            ("Gateway:Security:MasterKey", Convert.ToBase64String(new byte[32])));

        Assert.That(SettingsCheck.FirstProblem(configuration), Is.Null);
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
