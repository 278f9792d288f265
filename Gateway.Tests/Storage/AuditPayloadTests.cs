using Gateway.Core.Storage;

namespace Gateway.Tests.Storage;

/// <summary>A key is kept out of the audit log by what its name says, at any depth and in any case.</summary>
[TestFixture]
public sealed class AuditPayloadTests
{
    [TestCase("Password")]
    [TestCase("ConfirmPassword")]
    [TestCase("newPassword")]
    [TestCase("PASSWORDHASH")]
    [TestCase("APISecret")]
    [TestCase("SessionToken")]
    [TestCase("aptoken")]
    [TestCase("Code")]
    [TestCase("TwoFACode")]
    [TestCase("Signature")]
    [TestCase("TotpSeed")]
    public void Scrub_KeyNamingASecret_IsRemovedAtEveryDepth(string key)
    {
        var payload = "{\"UserName\":\"jane\",\"K\":\"s3cret-value\",\"UserInfo\":{\"K\":\"s3cret-value\",\"Items\":[{\"K\":\"s3cret-value\"}]}}".Replace("\"K\"", $"\"{key}\"", StringComparison.Ordinal);

        var scrubbed = AuditPayload.Scrub(System.Text.Encoding.UTF8.GetBytes(payload));

        Assert.That(scrubbed, Does.Not.Contain("s3cret-value"));
        Assert.That(scrubbed, Is.EqualTo("""{"UserName":"jane","UserInfo":{"Items":[{}]}}"""));
    }

    [TestCase("UserName")]
    [TestCase("Permission")]
    [TestCase("AccountHandle")]
    [TestCase("ExternalUserId")]
    public void Scrub_OrdinaryKey_IsKept(string key)
    {
        var payload = $$"""{"{{key}}":"kept"}""";

        Assert.That(AuditPayload.Scrub(System.Text.Encoding.UTF8.GetBytes(payload)), Is.EqualTo(payload));
    }
}
