using Gateway.Core.Protocol;

namespace Gateway.Tests.Protocol;

/// <summary>The function names a frame carries: read exactly as sent, and a served function's name without a new string.</summary>
[TestFixture]
public sealed class FunctionNamesTests
{
    [Test]
    public void Decode_NameOfAKeptFunction_IsTheKeptString()
    {
        var name = "NameTableKept" + Guid.NewGuid().ToString("N")[..8];
        FunctionNames.Keep(name);

        var first = Decode($"{{\"m\":0,\"i\":1,\"n\":\"{name}\",\"o\":\"{{}}\"}}");
        var second = Decode($"{{\"m\":0,\"i\":2,\"n\":\"{name}\",\"o\":\"{{}}\"}}");

        Assert.That(first, Is.EqualTo(name));
        Assert.That(first, Is.SameAs(name));
        Assert.That(second, Is.SameAs(name));
    }

    [Test]
    public void Decode_UnknownNameTwice_IsNotKept()
    {
        var name = "NameTableUnknown" + Guid.NewGuid().ToString("N")[..8];

        var first = Decode($"{{\"m\":0,\"i\":1,\"n\":\"{name}\",\"o\":\"{{}}\"}}");
        var second = Decode($"{{\"m\":0,\"i\":2,\"n\":\"{name}\",\"o\":\"{{}}\"}}");

        Assert.That(second, Is.EqualTo(name));
        Assert.That(second, Is.Not.SameAs(first));
    }

    [Test]
    public void Decode_KeptNameInAnotherCase_IsReadAsSent()
    {
        var name = "NameTableCase" + Guid.NewGuid().ToString("N")[..8];
        FunctionNames.Keep(name);

        var upper = Decode($"{{\"m\":0,\"i\":2,\"n\":\"{name.ToUpperInvariant()}\",\"o\":\"{{}}\"}}");

        Assert.That(upper, Is.EqualTo(name.ToUpperInvariant()));
    }

    [Test]
    public void Decode_EscapedName_IsTheNameItSpellsAndTheSameStringAsUnescaped()
    {
        FunctionNames.Keep("Ping");
        var plain = Decode("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}");
        var escaped = Decode("{\"m\":0,\"i\":2,\"n\":\"\\u0050ing\",\"o\":\"{}\"}");

        Assert.That(escaped, Is.EqualTo("Ping"));
        Assert.That(escaped, Is.SameAs(plain));
    }

    [Test]
    public void Decode_NameLongerThanKept_IsReadWholeAsANewStringEachTime()
    {
        var name = new string('L', FunctionNames.MaxKeptChars + 1);
        FunctionNames.Keep(name);

        var first = Decode($"{{\"m\":0,\"i\":1,\"n\":\"{name}\",\"o\":\"{{}}\"}}");
        var second = Decode($"{{\"m\":0,\"i\":2,\"n\":\"{name}\",\"o\":\"{{}}\"}}");

        Assert.That(first, Is.EqualTo(name));
        Assert.That(second, Is.EqualTo(name));
        Assert.That(second, Is.Not.SameAs(first));
    }

    [Test]
    public void Decode_ManyNamesNeverServed_EachIsReadAsSent()
    {
        var names = Enumerable.Range(0, 2000).Select(i => $"Flood{i}").ToList();

        var decoded = names.Select(n => Decode($"{{\"m\":0,\"i\":1,\"n\":\"{n}\",\"o\":\"{{}}\"}}")).ToList();

        Assert.That(decoded, Is.EqualTo(names));
    }

    [Test]
    public void Decode_EmptyObjectPayload_IsTheTwoBytes()
    {
        var ok = FrameReader.TryDecode("{\"m\":0,\"i\":1,\"n\":\"Ping\",\"o\":\"{}\"}"u8, 32, out var frame, out _);

        Assert.That(ok, Is.True);
        Assert.That(frame!.Payload.ToArray(), Is.EqualTo("{}"u8.ToArray()));
    }

    private static string Decode(string message)
    {
        Assert.That(FrameReader.TryDecode(System.Text.Encoding.UTF8.GetBytes(message), 32, out var frame, out var error), Is.True, error?.Detail);
        return frame!.Function;
    }
}
