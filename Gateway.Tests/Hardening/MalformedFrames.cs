using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Gateway.Tests.Hardening;

/// <summary>One generated bad message: its bytes, how it is sent, and the one reply it must get (its <c>i</c> and errorcode).</summary>
public sealed record MalformedFrame(string Kind, byte[] Bytes, WebSocketMessageType Type, long ExpectedI, int ExpectedCode)
{
    public override string ToString() => $"{Kind}: {(Type == WebSocketMessageType.Binary ? Convert.ToHexString(Bytes.AsSpan(0, Math.Min(64, Bytes.Length))) : Encoding.UTF8.GetString(Bytes.AsSpan(0, Math.Min(200, Bytes.Length))))}";
}

/// <summary>
/// Generates frames every one of which is malformed for an anonymous socket (protocol.md section 4, calls.md types):
/// each must be answered by exactly one errorcode-100 reply (106 for an unknown function), never run.
/// <c>i</c> values are unique per frame so replies can be matched; frames whose <c>i</c> cannot be read expect i=0.
/// </summary>
public sealed class MalformedFrames(int seed)
{
    private readonly Random _random = new(seed);
    private long _sequence = 1000;

    private static readonly string[] BadM = ["\"0\"", "1.5", "null", "true", "[]", "{}", "99", "-1", "1", "3", "5", "2147483648", "1e3", "\"\""];
    private static readonly string[] BadI = ["\"3\"", "1.5", "true", "null", "[]", "{}", "9223372036854775808", "-9223372036854775809", "1e30", "99999999999999999999999"];
    private static readonly string[] BadN = ["5", "null", "true", "[]", "{}", "1.5"];
    private static readonly string[] BadO = ["5", "true", "false", "-1e999", "\"{oops\"", "\"[\"", "\"nul\"", "\"{\\\"a\\\":}\"", "\"{} {}\"", "\"\\u0000\""];
    // Valid JSON payloads that Ping cannot bind (an array it can: it takes no keys): the call is reached and answers m=1 with 100.
    private static readonly string[] UnbindableForPing = ["\"123\"", "\"-1.5\"", "\"true\"", "\"\\\"str\\\"\""];
    private static readonly string[] BadEchoPayloads =
    [
        "{\"UserId\":\"abc\"}", "{\"UserId\":1.5}", "{\"Flag\":\"yes\"}", "{\"Big\":1e400}", "{\"UserId\":99999999999999999999}",
        "{\"UserName\":5}", "{\"UserName\":{}}", "{\"UserId\":[]}", "{\"Big\":-99999999999999999999}", "{\"UserName\":\"\\uD800\"}",
        "{\"UserId\":\"\"}", "{\"Flag\":1}",
    ];

    public MalformedFrame Next()
    {
        var i = ++_sequence;
        return _random.Next(16) switch
        {
            0 => Text("unknown function", Frame("0", i.ToString(CultureInfo.InvariantCulture), Json("NoSuch" + Word()), "\"{}\""), i, 106),
            1 => Text("m of the wrong type or value", Frame(Pick(BadM), i.ToString(CultureInfo.InvariantCulture), "\"Ping\"", "\"{}\""), i, 100),
            2 => Text("m missing", $"{{\"i\":{i},\"n\":\"Ping\",\"o\":\"{{}}\"}}", i, 100),
            3 => Text("n missing", $"{{\"m\":0,\"i\":{i},\"o\":\"{{}}\"}}", i, 100),
            4 => Text("n of the wrong type", Frame("0", i.ToString(CultureInfo.InvariantCulture), Pick(BadN), "\"{}\""), i, 100),
            5 => Text("odd o", Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"Ping\"", Pick(BadO)), i, 100),
            6 => Text("o that Ping cannot bind", Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"Ping\"", Pick(UnbindableForPing)), i, 100),
            7 => Text("payload keys of the wrong type", Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"TestEcho\"", Json(Pick(BadEchoPayloads))), i, 100),
            8 => Text("o nested past the limit", Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"Ping\"", Json(Nested(_random.Next(33, 400)))), i, 100),
            9 => Text("string over the limit", Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"GetUserInfo\"", Json($"{{\"UserName\":\"{new string('x', _random.Next(257, 3000))}\"}}")), i, 100),
            10 => Text("i unreadable", Frame("0", Pick(BadI), "\"Ping\"", "\"{}\""), 0, 100),
            11 => Text("i missing", "{\"m\":0,\"n\":\"Ping\",\"o\":\"{}\"}", 0, 100),
            12 => Text("truncated frame", Truncated(i), 0, 100),
            13 => Text("JSON that is not an object", _random.Next(4) == 0 ? Nested(_random.Next(1, 20_000)) : Pick(["[1,2]", "5", "\"str\"", "null", "true", "[]", "-0.5e7"]), 0, 100),
            14 => Text("random text", RandomText(), 0, 100),
            _ => new MalformedFrame("binary message", RandomBytes(), WebSocketMessageType.Binary, 0, 100),
        };
    }

    private static MalformedFrame Text(string kind, string text, long i, int code) => new(kind, Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, i, code);

    private static string Frame(string m, string i, string n, string o) => $"{{\"m\":{m},\"i\":{i},\"n\":{n},\"o\":{o}}}";

    private static string Json(string value) => JsonSerializer.Serialize(value);

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private string Word() => new(Enumerable.Range(0, _random.Next(1, 24)).Select(_ => (char)_random.Next('A', 'z' + 1)).ToArray());

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private string Truncated(long i)
    {
        var frame = Frame("0", i.ToString(CultureInfo.InvariantCulture), "\"Ping\"", "\"{}\"");
        return frame[.._random.Next(1, frame.Length - 1)];
    }

    // Printable ASCII and some multi-byte characters, never starting a JSON object, so it can never be a frame.
    private string RandomText()
    {
        const string alphabet = "abcxyz0123456789 ,:[]\"\\{}-+.eE\u00e9\u4e2d\U0001F600";
        var runes = alphabet.EnumerateRunes().ToArray();
        var text = new StringBuilder("~");
        for (var n = _random.Next(1, 300); n > 0; n--)
            text.Append(runes[_random.Next(runes.Length)].ToString());
        return text.ToString();
    }

    private byte[] RandomBytes()
    {
        var bytes = new byte[_random.Next(0, 512)];
        _random.NextBytes(bytes);
        return bytes;
    }
}
