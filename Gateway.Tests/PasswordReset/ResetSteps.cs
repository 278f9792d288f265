using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.PasswordReset;

/// <summary>Users with a mail address and the two reset steps, as the reset tests need them.</summary>
public static class ResetSteps
{
    public const string Password = "first-password-1";

    /// <summary>Creates a user with an Email through CreateUser; its id, name and address.</summary>
    public static async Task<(int UserId, string Name, string Email)> CreateMailUserAsync(this TestClient admin, string prefix = "reset")
    {
        var name = AccountSteps.Unique(prefix);
        var email = name + "@mail.example";
        var reply = await admin.CallAsync("CreateUser", JsonSerializer.Serialize(new { UserInfo = new { UserName = name, Email = email, Password } }));
        Assert.That(reply.ErrorCode(), Is.Zero, reply.O);
        return (reply.Payload.GetProperty("UserId").GetInt32(), name, email);
    }

    public static string Request(string userName) => JsonSerializer.Serialize(new { UserName = userName });

    public static string Confirm(int userId, string password, string code) => JsonSerializer.Serialize(new { UserId = userId, Password = password, PendingCode = code });

    /// <summary>Asks for a reset of <paramref name="name"/> and returns the link's code once the mail (the <paramref name="count"/>th to that address) is there.</summary>
    public static async Task<string> MailedCodeAsync(this TestHost host, Mailbox mailbox, string name, string email, int count = 1)
    {
        Assert.That(await host.CallAnonymousAsync(Transport.Socket, "ResetPassword", Request(name)), Is.EqualTo(Std.Ok));
        return (await mailbox.ResetLinkAsync(email, count)).Code;
    }
}
