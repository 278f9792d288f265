using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md section 4: frames that never reach a handler get one m=5 reply and the socket stays open.</summary>
[TestFixture]
public sealed class FrameErrorTests : SocketFixture
{
    private static string Error(int code, string text, string detail) =>
        $"{{\\\"result\\\":false,\\\"errormsg\\\":\\\"{text}\\\",\\\"errorcode\\\":{code},\\\"detail\\\":\\\"{detail}\\\"}}";

    private async Task AssertSocketStillServes()
    {
        var reply = await Client.CallAsync("Ping");
        Assert.That(reply.O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [Test]
    public async Task Dispatch_UnknownFunction_RepliesWithErrorFrame106()
    {
        var reply = await Client.CallWithSequenceAsync(8, "NoSuchCall");
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":5,\"i\":8,\"n\":\"NoSuchCall\",\"o\":\"" + Error(106, "Operation Not Supported", "Endpoint Not Found: NoSuchCall") + "\"}"));
        await AssertSocketStillServes();
    }

    [TestCase("hello")]
    [TestCase("{\"m\":0,\"i\":1,")]
    [TestCase("{\"m\":0,\"i\":1,\"n\":\"Ping\"} trailing")]
    public async Task Decode_TextThatIsNotJson_RepliesWithErrorFrameI0(string text)
    {
        Client.Send(text);
        var reply = await Client.NextFrameAsync();
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":5,\"i\":0,\"n\":\"\",\"o\":\"" + Error(100, "Invalid Request", "Frame is not valid JSON") + "\"}"));
        await AssertSocketStillServes();
    }

    [Test]
    public async Task Decode_BinaryMessage_RepliesOnlyTextFramesAccepted()
    {
        Client.Send([0x7b, 0x7d, 0xff]);
        var reply = await Client.NextFrameAsync();
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":5,\"i\":0,\"n\":\"\",\"o\":\"" + Error(100, "Invalid Request", "Only text frames are accepted") + "\"}"));
        await AssertSocketStillServes();
    }

    [TestCase("[1,2,3]", 0, "", "Frame must be a JSON object with the keys m, i, n and o")]
    [TestCase("{\"i\":3,\"n\":\"Ping\",\"o\":\"\"}", 3, "Ping", "m is missing: every frame needs m, i and n")]
    [TestCase("{\"m\":\"0\",\"i\":3,\"n\":\"Ping\"}", 3, "Ping", "m must be a JSON integer: 0 for a request, 2 to subscribe, 4 to unsubscribe")]
    [TestCase("{\"m\":0,\"n\":\"Ping\"}", 0, "Ping", "i is missing: every frame needs m, i and n")]
    [TestCase("{\"m\":0,\"i\":\"3\",\"n\":\"Ping\"}", 0, "Ping", "i must be a JSON integer that fits in a signed 64-bit number")]
    [TestCase("{\"m\":0,\"i\":1.5,\"n\":\"Ping\"}", 0, "Ping", "i must be a JSON integer that fits in a signed 64-bit number")]
    [TestCase("{\"m\":0,\"i\":9223372036854775808,\"n\":\"Ping\"}", 0, "Ping", "i must be a JSON integer that fits in a signed 64-bit number")]
    [TestCase("{\"m\":0,\"i\":3}", 3, "", "n is missing: every frame needs m, i and n")]
    [TestCase("{\"m\":0,\"i\":3,\"n\":7}", 3, "", "n must be a JSON string naming the function")]
    [TestCase("{\"m\":0,\"i\":3,\"n\":\"Ping\",\"o\":5}", 3, "Ping", "o must be the payload as a JSON string (or object); numbers and booleans are not payloads")]
    [TestCase("{\"m\":0,\"i\":3,\"n\":\"Ping\",\"o\":\"{oops\"}", 3, "Ping", "o is not valid JSON: it must hold the payload object serialized as a string")]
    [TestCase("{\"m\":9,\"i\":3,\"n\":\"Ping\"}", 3, "Ping", "m=9 is not a message type; a request uses m=0 (2 to subscribe, 4 to unsubscribe)")]
    public async Task Decode_JsonThatIsNotAFrame_RepliesNamingTheKey(string text, long i, string n, string detail)
    {
        Client.Send(text);
        var reply = await Client.NextFrameAsync();
        Assert.That(reply.Raw, Is.EqualTo($"{{\"m\":5,\"i\":{i},\"n\":\"{n}\",\"o\":\"" + Error(100, "Invalid Request", detail) + "\"}"));
        await AssertSocketStillServes();
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(5)]
    public async Task Decode_GatewayOnlyMessageTypeFromClient_RepliesWithSameIAndN(int m)
    {
        var reply = await Client.CallWithSequenceAsync(12, "Ping", m: m);
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":5,\"i\":12,\"n\":\"Ping\",\"o\":\"" +
            Error(100, "Invalid Request", $"m={m} is a type the gateway sends; a request uses m=0 (2 to subscribe, 4 to unsubscribe)") + "\"}"));
        await AssertSocketStillServes();
    }

    [Test]
    public async Task Decode_PayloadNestedPastLimit_Replies100()
    {
        var deep = new string('[', 40) + new string(']', 40);
        var reply = await Client.CallAsync("Ping", "{\"a\":" + deep + "}");
        Assert.That(reply.M, Is.EqualTo(5));
        Assert.That(reply.Payload.GetProperty("errorcode").GetInt32(), Is.EqualTo(100));
        Assert.That(reply.Payload.GetProperty("detail").GetString(), Is.EqualTo("o nests 41 levels deep; the limit is 32"));
        await AssertSocketStillServes();
    }
}
