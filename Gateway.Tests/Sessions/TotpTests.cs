using System.Text;
using Gateway.Core.Sessions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Sessions;

[TestFixture]
public sealed class TotpTests
{
    // RFC 6238 appendix B, SHA-1 seed "12345678901234567890"; the 6-digit code is the last six digits of the 8-digit vector.
    private static readonly byte[] RfcSeed = Encoding.ASCII.GetBytes("12345678901234567890");

    [TestCase(59L, "287082")]
    [TestCase(1111111109L, "081804")]
    [TestCase(1234567890L, "005924")]
    [TestCase(2000000000L, "279037")]
    public void Code_RfcVectors_Match(long unixSeconds, string expected)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.That(Totp.Code(RfcSeed, Totp.StepAt(at)), Is.EqualTo(expected));
        Assert.That(TotpCodes.At(Totp.Base32(RfcSeed), at), Is.EqualTo(expected));
    }

    [Test]
    public void MatchingStep_CodeTwoStepsAway_IsNull()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var old = Totp.Code(RfcSeed, Totp.StepAt(now) - 2);

        Assert.That(Totp.MatchingStep(RfcSeed, old, now), Is.Null);
        Assert.That(Totp.MatchingStep(RfcSeed, Totp.Code(RfcSeed, Totp.StepAt(now) + 1), now), Is.EqualTo(Totp.StepAt(now) + 1));
    }
}
