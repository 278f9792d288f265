using Gateway.Core.Protocol;
using Gateway.Core.Sessions;

namespace Gateway.Tests.Sessions;

/// <summary>The user-name rules in this process: it really normalizes, which spellings share a key, and what is refused.</summary>
[TestFixture]
public sealed class UserNamesTests
{
    [Test]
    public void EnsureNormalization_TestProcess_DoesNotThrow() =>
        Assert.DoesNotThrow(UserNames.EnsureNormalization);

    [TestCase("admin", "admin")]
    [TestCase("ＡＤＭＩＮ", "admin")]
    [TestCase("ÉMILE", "émile")]
    [TestCase("e\u0301mile", "émile")]
    [TestCase("admın", "admin")]
    [TestCase("ADMİN", "admin")]
    [TestCase("ﬁnn", "finn")]
    [TestCase("ΣΟΦΟΣ", "σοφοσ")]
    [TestCase("σοφος", "σοφοσ")]
    [TestCase("ẞ", "ß")]
    [TestCase("straße", "straße")]
    [TestCase("  ann \u00A0\u3000 lee  ", "ann lee")]
    [TestCase("\u212Aelvin", "kelvin")]
    public void Key_Spelling_IsTheFoldedNfkcForm(string name, string key) =>
        Assert.That(UserNames.Key(name), Is.EqualTo(key));

    [TestCase("ａｄｍｉｎ")]
    [TestCase("E\u0301MILE")]
    [TestCase("Ǆ\u0301")]
    [TestCase("ı\u0307")]
    public void Key_OfItsOwnKey_IsTheSameKey(string name) =>
        Assert.That(UserNames.Key(UserNames.Key(name)), Is.EqualTo(UserNames.Key(name)));

    [Test]
    public void Key_UnpairedSurrogate_IsAKeyNotAnException() =>
        Assert.That(UserNames.Key("a" + (char)0xD800 + "b"), Is.EqualTo("a\uFFFDb"));

    [TestCase("ｊａｎｅ", "jane")]
    [TestCase("Zoe\u0301", "Zoé")]
    [TestCase("  Ann Lee\u3000", "Ann Lee")]
    public void Clean_ValidName_IsItsTrimmedNfkcFormWithCaseKept(string name, string stored) =>
        Assert.That(UserNames.Clean(name, "UserName"), Is.EqualTo(stored));

    [TestCase("admin\u200B", "control or invisible characters (U+200B at position 6)")]
    [TestCase("Admin\u0000", "control or invisible characters (U+0000 at position 6)")]
    [TestCase("a\tb", "control or invisible characters (U+0009 at position 2)")]
    [TestCase("a\u0085b", "control or invisible characters (U+0085 at position 2)")]
    [TestCase("a\u2029", "control or invisible characters (U+2029 at position 2)")]
    [TestCase("\U0001F600a\u00AD", "control or invisible characters (U+00AD at position 3)")]
    [TestCase("a\uFE0F", "control or invisible characters (U+FE0F at position 2)")]
    [TestCase("a\uE000", "private-use or unassigned characters (U+E000 at position 2)")]
    [TestCase("a\u0378", "private-use or unassigned characters (U+0378 at position 2)")]
    public void Clean_RefusedCharacter_Answers100NamingItsCodePointAndPosition(string name, string problem)
    {
        var refused = Assert.Throws<GatewayException>(() => UserNames.Clean(name, "UserName"))!;

        Assert.That(refused.Code, Is.EqualTo(ErrorCode.InvalidRequest));
        Assert.That(refused.Detail, Is.EqualTo($"UserName must not contain {problem}"));
    }

    [Test]
    public void Clean_UnpairedSurrogate_Answers100NamingIt()
    {
        // Built in code: an attribute argument is stored as UTF-8, where an unpaired surrogate becomes U+FFFD.
        var name = "ab" + (char)0xDC00;

        var refused = Assert.Throws<GatewayException>(() => UserNames.Clean(name, "UserName"))!;

        Assert.That(refused.Detail, Is.EqualTo("UserName must not contain unpaired surrogates (U+DC00 at position 3)"));
    }

    [Test]
    public void Clean_OnlyWhiteSpace_Answers100()
    {
        var refused = Assert.Throws<GatewayException>(() => UserNames.Clean(" \u3000 ", "UserName"))!;

        Assert.That(refused.Detail, Is.EqualTo("UserName must not be empty or only white space"));
    }
}
