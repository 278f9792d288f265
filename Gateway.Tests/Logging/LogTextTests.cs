using Gateway.Core.Logging;

namespace Gateway.Tests.Logging;

/// <summary>A client-supplied value in a log line can neither forge a line nor make one large.</summary>
[TestFixture]
public sealed class LogTextTests
{
    [TestCase("Ping", "Ping")]
    [TestCase("adduseraccount", "adduseraccount")]
    [TestCase("émile ａｄｍｉｎ", "émile ａｄｍｉｎ")]
    public void Clip_OrdinaryText_IsUnchanged(string value, string expected) => Assert.That(LogText.Clip(value), Is.EqualTo(expected));

    [TestCase("Ping\n2026-12-01 INFO forged line", "Ping\\n2026-12-01 INFO forged line")]
    [TestCase("a\r\nb\tc", "a\\r\\nb\\tc")]
    [TestCase("admin\u200b", "admin\\u200b")]
    [TestCase("line\u2028sep", "line\\u2028sep")]
    [TestCase("nul\0", "nul\\u0000")]
    [TestCase("back\\slash\n", "back\\\\slash\\n")]
    public void Clip_ControlAndFormatCharacters_AreEscaped(string value, string expected) => Assert.That(LogText.Clip(value), Is.EqualTo(expected));

    [Test]
    public void Clip_LongValue_IsCutWithItsLength()
    {
        var clipped = LogText.Clip(new string('x', 60_000))!;

        Assert.That(clipped, Is.EqualTo(new string('x', LogText.MaxChars) + "…(60000 chars)"));
    }

    [Test]
    public void Clip_Null_StaysNull() => Assert.That(LogText.Clip(null), Is.Null);
}
