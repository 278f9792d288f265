using System.Text;
using Gateway.Core.Storage;

namespace Gateway.Tests.Storage;

/// <summary>
/// The audit hash copies JSON text that is already canonical instead of parsing it: the copy must be exactly what the
/// parse-and-sort path writes, and anything it cannot vouch for must take that path.
/// </summary>
[TestFixture]
public sealed class CanonicalTextTests
{
    [TestCase("""{"Permissions":["Deposit","Trading","Withdraw"]}""")]
    [TestCase("""{"AccountIds":[1,2,30]}""")]
    [TestCase("""{"A":1,"B":{"c":true,"d":null,"e":[{"x":1.50,"y":-0}]},"a":"v<>&'+`"}""")]
    [TestCase("""{}""")]
    [TestCase("""[]""")]
    [TestCase("\"text\"")]
    [TestCase("""{"k":1,"k":2}""")]
    public void TryAscii_CanonicalText_IsCopiedAndEqualsTheParsedForm(string json)
    {
        Assert.That(CanonicalText.TryAscii(json, out var copied), Is.True);

        Assert.That(Encoding.UTF8.GetString(copied), Is.EqualTo(json));
        Assert.That(AuditHash.CanonicalValue(json), Is.EqualTo(AuditHash.CanonicalValue(" " + json)), "the parse-and-sort path writes the same bytes");
    }

    [TestCase("""{"b":1,"a":2}""", """{"a":2,"b":1}""")]
    [TestCase("""{"a":{"z":1,"y":2}}""", """{"a":{"y":2,"z":1}}""")]
    [TestCase("""{"a": 1}""", """{"a":1}""")]
    [TestCase("""{"name":"Account 1"}""", """{"name":"Account 1"}""")]
    [TestCase("""{"e":"\u00e9","q":"\""}""", """{"e":"é","q":"\""}""")]
    [TestCase("""{"é":1}""", """{"é":1}""")]
    [TestCase("""{"a":1} """, """{"a":1}""")]
    public void CanonicalValue_TextThatIsNotCopied_IsParsedAndSorted(string json, string canonical)
    {
        Assert.That(CanonicalText.TryAscii(json, out _), Is.False);

        Assert.That(Encoding.UTF8.GetString(AuditHash.CanonicalValue(json)), Is.EqualTo(canonical));
    }

    [TestCase("""{"a":1}{"b":2}""")]
    [TestCase("""{"a":1""")]
    public void TryAscii_NotOneJsonValue_IsNotCopied(string json)
    {
        Assert.That(CanonicalText.TryAscii(json, out _), Is.False);
    }
}
