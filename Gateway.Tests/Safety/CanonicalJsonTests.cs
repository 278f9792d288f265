using System.Text;
using Gateway.Core.Safety;

namespace Gateway.Tests.Safety;

/// <summary>The canonical JSON repeats are compared by, the two payload keys of section 9, and the DryRun mark.</summary>
[TestFixture]
public sealed class CanonicalJsonTests
{
    private static string Canonical(string json, string? omit = null) => Encoding.UTF8.GetString(CanonicalJson.Write(Encoding.UTF8.GetBytes(json), omit));

    [Test]
    public void Write_KeysInAnyCaseOrderAndSpacing_LowerCasedAndSortedAtEveryDepth()
    {
        Assert.That(Canonical("{ \"B\" : [ {\"Z\":1, \"a\":2} ], \"a\":{\"Y\":null,\"x\":true} }"),
            Is.EqualTo("{\"a\":{\"x\":true,\"y\":null},\"b\":[{\"a\":2,\"z\":1}]}"));
    }

    [Test]
    public void Write_Values_KeptExactlyAsSent()
    {
        Assert.That(Canonical("{\"n\":1.50,\"s\":\"3\",\"e\":\"\\u0041\"}"), Is.EqualTo("{\"e\":\"\\u0041\",\"n\":1.50,\"s\":\"3\"}"));
        Assert.That(Canonical("{\"n\":3}"), Is.Not.EqualTo(Canonical("{\"n\":\"3\"}")));
    }

    [Test]
    public void Write_OmittedKey_LeftOutInAnyCaseAtTheTopOnly()
    {
        Assert.That(Canonical("{\"clientrequestid\":\"a\",\"X\":{\"ClientRequestId\":\"b\"}}", "ClientRequestId"), Is.EqualTo("{\"x\":{\"clientrequestid\":\"b\"}}"));
    }

    [TestCase("{}", null, false, true)]
    [TestCase("{\"ClientRequestId\":\"abc\",\"DryRun\":true}", "abc", true, true)]
    [TestCase("{\"clientrequestid\":\"\",\"dryrun\":false}", null, false, true)]
    [TestCase("{\"ClientRequestId\":null,\"DryRun\":null}", null, false, true)]
    [TestCase("{\"ClientRequestId\":\"a\",\"ClientRequestId\":\"b\"}", "b", false, true)]
    [TestCase("[1,2]", null, false, true)]
    [TestCase("{\"ClientRequestId\":7}", null, false, false)]
    [TestCase("{\"DryRun\":1}", null, false, false)]
    public void TryRead_Payloads_ReadTheTwoKeys(string payload, string? id, bool dryRun, bool valid)
    {
        var ok = SafetyEnvelope.TryRead(Encoding.UTF8.GetBytes(payload), out var envelope, out var problem);

        Assert.That(ok, Is.EqualTo(valid), problem);
        if (valid)
            Assert.That(envelope, Is.EqualTo(new SafetyEnvelope(id, dryRun)));
    }

    [TestCase("{\"result\":true}", "{\"result\":true,\"DryRun\":true}")]
    [TestCase("{}", "{\"DryRun\":true}")]
    [TestCase("[1]", "[1]")]
    [TestCase("{\"DryRun\":true}", "{\"DryRun\":true}")]
    public void Add_Replies_MarkedOnceAndOnlyObjects(string reply, string marked)
    {
        Assert.That(Encoding.UTF8.GetString(DryRunMark.Add(Encoding.UTF8.GetBytes(reply))), Is.EqualTo(marked));
    }
}
