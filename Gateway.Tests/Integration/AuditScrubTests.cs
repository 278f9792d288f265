using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>Secret-looking keys a client invents never reach an audit row, through the database or GetAuditLog.</summary>
[TestFixture]
public sealed class AuditScrubTests : AdminFixture
{
    [Test]
    public async Task CreateUserAndSetUserInfo_ConfirmPasswordAndNewPassword_NeverStoredOrReturned()
    {
        const string secret = "do-not-store-this-9f3";
        var name = "scrub-" + Guid.NewGuid().ToString("N")[..8];
        var created = await Admin.CallAsync("CreateUser", JsonSerializer.Serialize(new
        {
            UserInfo = new { UserName = name, Password = secret, ConfirmPassword = secret },
        }));
        Assert.That(created.ErrorCode(), Is.Zero, created.O);
        var userId = created.Payload.GetProperty("UserId").GetInt32();
        var set = await Admin.CallAsync("SetUserInfo", JsonSerializer.Serialize(new { UserId = userId, FirstName = "Jo", newPassword = secret }));
        Assert.That(set.ErrorCode(), Is.Zero, set.O);

        var stored = await Host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE Payload LIKE '%' || @Secret || '%'", new { Secret = secret });
        var log = await Admin.CallAsync("GetAuditLog", "{\"Limit\":10}");

        Assert.That(stored, Is.Zero);
        Assert.That(log.O, Does.Contain(name));
        Assert.That(log.O, Does.Not.Contain(secret));
    }
}
