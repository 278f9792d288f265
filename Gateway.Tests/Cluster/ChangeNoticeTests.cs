using System.Text;
using Gateway.Core.Cluster;

namespace Gateway.Tests.Cluster;

/// <summary>The payload of a commit's NOTIFY: what it carries, its size limit, and what a node makes of one it cannot read.</summary>
[TestFixture]
public sealed class ChangeNoticeTests
{
    [Test]
    public void ToPayload_SmallCommit_RoundTripsNodeIdUsersAccountsAndFlag()
    {
        var notice = new ChangeNotice("node-1", 42, [3, 7], [9], SessionsEnded: true, Everything: false);

        var parsed = ChangeNotice.Parse(notice.ToPayload());

        Assert.That(parsed.Node, Is.EqualTo("node-1"));
        Assert.That(parsed.AuditId, Is.EqualTo(42));
        Assert.That(parsed.Users, Is.EqualTo(new long[] { 3, 7 }));
        Assert.That(parsed.Accounts, Is.EqualTo(new long[] { 9 }));
        Assert.That(parsed.SessionsEnded, Is.True);
        Assert.That(parsed.Everything, Is.False);
    }

    [Test]
    public void ToPayload_TooManyIdsFor8000Bytes_SendsTheShortEverythingForm()
    {
        var users = Enumerable.Range(1_000_000, 5_000).Select(n => (long)n).ToArray();
        var notice = new ChangeNotice("node-1", 42, users, null, SessionsEnded: false, Everything: false);

        var payload = notice.ToPayload();
        var parsed = ChangeNotice.Parse(payload);

        Assert.That(Encoding.UTF8.GetByteCount(payload), Is.LessThan(8000));
        Assert.That(parsed.Everything, Is.True);
        Assert.That(parsed.SessionsEnded, Is.True, "every node checks all its sessions");
        Assert.That(parsed.Node, Is.EqualTo("node-1"), "the node still skips its own notice");
        Assert.That(parsed.AuditId, Is.EqualTo(42));
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("{\"id\":5}")]
    public void Parse_UnreadablePayload_CountsAsEverythingFromAnotherNode(string payload)
    {
        var parsed = ChangeNotice.Parse(payload);

        Assert.That(parsed.Everything, Is.True);
        Assert.That(parsed.SessionsEnded, Is.True);
        Assert.That(parsed.Node, Is.EqualTo("?"));
    }
}
