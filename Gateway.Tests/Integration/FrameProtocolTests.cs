using System.Net.WebSockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>protocol.md sections 2 and 3 over a real socket: each rule, the exact reply frame.</summary>
[TestFixture]
public sealed class FrameProtocolTests : SocketFixture
{
    private const string Pong = "\"o\":\"{\\\"msg\\\":\\\"PONG\\\"}\"";

    [Test]
    public async Task Ping_Reply_IsDoubleEncodedExactly()
    {
        var reply = await Client.CallWithSequenceAsync(2, "Ping");
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":1,\"i\":2,\"n\":\"Ping\"," + Pong + "}"));
    }

    [TestCase("\"o\":\"{}\"")]
    [TestCase("\"o\":{}")]
    [TestCase("\"o\":\"\"")]
    [TestCase("\"o\":null")]
    [TestCase("")]
    [TestCase("\"o\":\"{\\\"Unused\\\":1}\"")]
    [TestCase("\"o\":{\"Unused\":[1,2]}")]
    [TestCase("\"o\":[]")]
    [TestCase("\"o\":[1,{\"a\":2}]")]
    [TestCase("\"o\":\"[]\"")]
    [TestCase("\"o\":\" [\\\"x\\\"]\"")]
    public async Task Ping_PayloadInAnyAcceptedForm_Answers(string payloadPart)
    {
        var reply = Client.Expect(10);
        Client.Send("{\"m\":0,\"i\":10,\"n\":\"Ping\"" + (payloadPart.Length > 0 ? "," + payloadPart : "") + "}");
        Assert.That((await reply.WaitAsync(TestClient.DefaultTimeout)).Raw, Is.EqualTo("{\"m\":1,\"i\":10,\"n\":\"Ping\"," + Pong + "}"));
    }

    [TestCase("HealthCheck", "\"detail\":\"ok\"")]
    [TestCase("LogOut", "{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}")]
    public async Task CallTakingNoKeys_ArrayPayload_AnswersAsForAnEmptyObject(string function, string expected)
    {
        var reply = Client.Expect(12);
        Client.Send("{\"m\":0,\"i\":12,\"n\":\"" + function + "\",\"o\":[1,\"two\"]}");
        var frame = await reply.WaitAsync(TestClient.DefaultTimeout);
        Assert.That(frame.M, Is.EqualTo(1));
        Assert.That(frame.O, Does.Contain(expected));
    }

    [TestCase("{\"\\u006e\":\"Ping\",\"m\":0,\"i\":1,\"o\":\"{}\"}")]
    [TestCase("{\"\\u006D\":0,\"\\u0069\":1,\"\\u004e\":\"Ping\",\"\\u006f\":\"{}\"}")]
    public async Task Frame_KeysWrittenWithJsonEscapes_AreTheKeysTheySpell(string frame)
    {
        using var socket = await RawSocket.ConnectAsync(Host.WsUri);

        await socket.SendAsync(frame);

        Assert.That(await socket.ReceiveAsync(), Is.EqualTo("{\"m\":1,\"i\":1,\"n\":\"Ping\"," + Pong + "}"));
    }

    [Test]
    public async Task Frame_SentInFragmentsToAWaitingSocket_IsReadWhole()
    {
        using var socket = await RawSocket.ConnectAsync(Host.WsUri);
        // After a round trip the gateway waits for the next message as a quiet socket does, without a receive buffer.
        await socket.SendAsync(TestClient.Frame(0, 2, "Ping", "{}"));
        Assert.That(await socket.ReceiveAsync(), Is.EqualTo("{\"m\":1,\"i\":2,\"n\":\"Ping\"," + Pong + "}"));
        var frame = System.Text.Encoding.UTF8.GetBytes(TestClient.Frame(0, 4, "Ping", "{}"));

        await socket.Socket.SendAsync(frame.AsMemory(0, 7), WebSocketMessageType.Text, endOfMessage: false, default);
        await socket.Socket.SendAsync(frame.AsMemory(7, 9), WebSocketMessageType.Text, endOfMessage: false, default);
        await socket.Socket.SendAsync(frame.AsMemory(16), WebSocketMessageType.Text, endOfMessage: true, default);

        Assert.That(await socket.ReceiveAsync(), Is.EqualTo("{\"m\":1,\"i\":4,\"n\":\"Ping\"," + Pong + "}"));
    }

    [Test]
    public async Task Frame_EmptyMessageToAWaitingSocket_IsRefusedAndTheSocketServesOn()
    {
        using var socket = await RawSocket.ConnectAsync(Host.WsUri);
        await socket.SendAsync(TestClient.Frame(0, 2, "Ping", "{}"));
        await socket.ReceiveAsync();

        await socket.Socket.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, default);
        var refused = await socket.ReceiveAsync();
        await socket.SendAsync(TestClient.Frame(0, 6, "Ping", "{}"));

        Assert.That(refused, Does.Contain("\\\"errorcode\\\":100"));
        Assert.That(await socket.ReceiveAsync(), Is.EqualTo("{\"m\":1,\"i\":6,\"n\":\"Ping\"," + Pong + "}"));
    }

    [Test]
    public async Task Frame_NameInAnotherCaseAfterTheUsualOne_IsEchoedAsSent()
    {
        using var socket = await RawSocket.ConnectAsync(Host.WsUri);

        await socket.SendAsync(TestClient.Frame(0, 2, "Ping", "{}"));
        var usual = await socket.ReceiveAsync();
        await socket.SendAsync(TestClient.Frame(0, 4, "pInG", "{}"));
        var other = await socket.ReceiveAsync();

        Assert.That(usual, Is.EqualTo("{\"m\":1,\"i\":2,\"n\":\"Ping\"," + Pong + "}"));
        Assert.That(other, Is.EqualTo("{\"m\":1,\"i\":4,\"n\":\"pInG\"," + Pong + "}"));
    }

    [TestCase(0L)]
    [TestCase(7L)]
    [TestCase(-42L)]
    [TestCase(long.MaxValue)]
    [TestCase(long.MinValue)]
    public async Task Ping_AnySequence_IsEchoedVerbatim(long sequence)
    {
        var reply = await Client.CallWithSequenceAsync(sequence, "Ping");
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":1,\"i\":" + sequence + ",\"n\":\"Ping\"," + Pong + "}"));
    }

    [Test]
    public async Task Ping_RepeatedSequence_AnswersEachRequestOnce()
    {
        Client.Send(TestClient.Frame(0, 5, "Ping", "{}"));
        Client.Send(TestClient.Frame(0, 5, "Ping", "{}"));
        var first = await Client.NextFrameAsync();
        var second = await Client.NextFrameAsync();
        Assert.That(first.I, Is.EqualTo(5));
        Assert.That(second.I, Is.EqualTo(5));
        Assert.That(first.Raw, Is.EqualTo(second.Raw));
    }

    [TestCase("pInG")]
    [TestCase("PING")]
    [TestCase("ping")]
    public async Task Dispatch_FunctionNameInAnyCase_RunsAndEchoesNameAsSent(string name)
    {
        var reply = await Client.CallWithSequenceAsync(4, name);
        Assert.That(reply.Raw, Is.EqualTo("{\"m\":1,\"i\":4,\"n\":\"" + name + "\"," + Pong + "}"));
    }

    [TestCase(2)]
    [TestCase(4)]
    public async Task Dispatch_SubscribeOrUnsubscribeType_RepliesWithM1(int m)
    {
        var reply = await Client.CallAsync("Ping", m: m);
        Assert.That(reply.M, Is.EqualTo(1));
        Assert.That(reply.O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [TestCase("{\"UserId\":3,\"UserName\":\"ann\",\"Flag\":true}")]
    [TestCase("{\"userid\":3,\"username\":\"ann\",\"flag\":true}")]
    [TestCase("{\"USERID\":\"3\",\"UserName\":\"ann\",\"FLAG\":true}")]
    [TestCase("{\"userId\":\"3\",\"userName\":\"ann\",\"flag\":true,\"Ignored\":{\"x\":1}}")]
    public async Task Dispatch_PayloadKeysAnyCaseAndNumericStrings_BindTheSameRequest(string payload)
    {
        var reply = await Client.CallAsync("TestEcho", payload);
        Assert.That(reply.O, Is.EqualTo("{\"UserId\":3,\"UserName\":\"ann\",\"Flag\":true,\"Big\":0}"));
    }

    [Test]
    public async Task Dispatch_WrongTypeForKey_Answers100NamingTheKeyItsTypeAndTheValue()
    {
        var reply = await Client.CallAsync("TestEcho", "{\"UserId\":\"three\"}");
        Assert.That(reply.M, Is.EqualTo(1));
        Assert.That(reply.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"UserId must be an integer, not \\\"three\\\"\"}"));
    }

    [Test]
    public async Task CallTakingKeys_ArrayPayload_Answers100()
    {
        var reply = await Client.CallAsync("TestEcho", "[1,2]");
        Assert.That(reply.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Invalid Request\",\"errorcode\":100,\"detail\":\"the payload of TestEcho must be a JSON object\"}"));
    }

    [Test]
    public async Task StandardResponse_Success_HasNullsNotEmptyStrings()
    {
        var reply = await Client.CallAsync("TestFail", "{\"Code\":0}");
        Assert.That(reply.O, Is.EqualTo("{\"result\":true,\"errormsg\":null,\"errorcode\":0,\"detail\":null}"));
    }

    [TestCase(20, "Not Authorized")]
    [TestCase(100, "Invalid Request")]
    [TestCase(101, "Operation Failed")]
    [TestCase(102, "Server Error")]
    [TestCase(104, "Resource Not Found")]
    [TestCase(106, "Operation Not Supported")]
    public async Task StandardResponse_Failure_CarriesExactErrorText(int code, string text)
    {
        var reply = await Client.CallAsync("TestFail", $"{{\"Code\":{code}}}");
        Assert.That(reply.M, Is.EqualTo(1));
        Assert.That(reply.O, Is.EqualTo($"{{\"result\":false,\"errormsg\":\"{text}\",\"errorcode\":{code},\"detail\":\"failing with {code} on purpose\"}}"));
    }

    [Test]
    public async Task Dispatch_HandlerThrows_Answers102WithoutExceptionText()
    {
        var reply = await Client.CallAsync("TestThrow");
        Assert.That(reply.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Server Error\",\"errorcode\":102,\"detail\":\"" + Gateway.Core.Dispatch.Failures.ServerFault + "\"}"));
        Assert.That(reply.Raw, Does.Not.Contain("SELECT").And.Not.Contain("/srv").And.Not.Contain("Exception"));
        Assert.That((await Client.CallAsync("Ping")).O, Is.EqualTo("{\"msg\":\"PONG\"}"));
    }

    [Test]
    public async Task Dispatch_PrivateCallWithoutSession_Answers20NotLoggedIn()
    {
        var reply = await Client.CallAsync("TestPrivate");
        Assert.That(reply.M, Is.EqualTo(1));
        Assert.That(reply.O, Is.EqualTo("{\"result\":false,\"errormsg\":\"Not Authorized\",\"errorcode\":20,\"detail\":\"Not logged in\"}"));
    }

    [Test]
    public async Task HealthCheck_Call_ReportsOkUptimeAndSockets()
    {
        var reply = await Client.CallAsync("HealthCheck");
        var payload = reply.Payload;
        Assert.That(payload.GetProperty("detail").GetString(), Is.EqualTo("ok"));
        Assert.That(payload.GetProperty("UptimeSeconds").GetInt64(), Is.GreaterThanOrEqualTo(0));
        Assert.That(payload.GetProperty("OpenSockets").GetInt32(), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Socket_ManyRequests_SendsNothingUnasked()
    {
        for (var n = 0; n < 20; n++)
            await Client.CallAsync(n % 2 == 0 ? "Ping" : "HealthCheck");
        Assert.That(Client.ReceivedCount, Is.EqualTo(20));
        await Assert.ThatAsync(() => Client.NextUnmatchedAsync(TimeSpan.FromMilliseconds(300)), Throws.InstanceOf<OperationCanceledException>());
    }
}
