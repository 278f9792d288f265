namespace Gateway.Tests.Support;

/// <summary>One call made over the socket and again over <c>POST /AP/{Name}</c> with the same session: the replies must be the same text.</summary>
public static class BothTransports
{
    /// <summary>The reply text, after asserting HTTP answered 200 with the socket's exact reply.</summary>
    public static async Task<string> CallBothAsync(this TestHost host, TestClient socket, string token, string function, string payload)
    {
        var frame = await socket.CallAsync(function, payload);
        var http = await host.PostAsync("/AP/" + function, payload, token);
        Assert.That(http.Status, Is.EqualTo(System.Net.HttpStatusCode.OK), http.ToString());
        Assert.That(http.Body, Is.EqualTo(frame.O), $"{function} {payload}: HTTP and the socket answered differently");
        return frame.O;
    }
}
