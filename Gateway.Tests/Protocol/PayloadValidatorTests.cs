using System.Text;
using Gateway.Core.Protocol;

namespace Gateway.Tests.Protocol;

/// <summary>The string limit of protocol.md section 7: every string value at any depth, named by its key path.</summary>
[TestFixture]
public sealed class PayloadValidatorTests
{
    private static string? Check(string json, int limit = 4) => PayloadValidator.CheckStrings(Encoding.UTF8.GetBytes(json), limit);

    [TestCase("{\"a\":\"abcde\"}", "a is 5 characters long; the limit is 4")]
    [TestCase("{\"a\":{\"b\":\"abcde\"}}", "a.b is 5 characters long; the limit is 4")]
    [TestCase("{\"a\":[\"ok\",\"abcde\"]}", "a[1] is 5 characters long; the limit is 4")]
    [TestCase("{\"a\":[{\"x\":1},[\"ok\"],{\"b\":[\"ok\",\"ok\",\"abcde\"]}]}", "a[2].b[2] is 5 characters long; the limit is 4")]
    [TestCase("{\"a\":{\"b\":\"ok\"},\"c\":\"abcde\"}", "c is 5 characters long; the limit is 4")]
    [TestCase("[\"ok\",\"abcde\"]", "[1] is 5 characters long; the limit is 4")]
    [TestCase("\"abcde\"", "The payload is 5 characters long; the limit is 4")]
    [TestCase("{\"a\":\"\\u0041\\u0041\\u0041\\u0041\\u0041\"}", "a is 5 characters long; the limit is 4")]
    public void CheckStrings_ValueOverLimit_NamesItsPathAndTheLimit(string json, string expected) =>
        Assert.That(Check(json), Is.EqualTo(expected));

    [TestCase("{\"a\":\"abcd\"}")]
    [TestCase("{\"a\":\"\u00e9\u00e9\u00e9\u00e9\"}")]
    [TestCase("{\"a\":\"\U0001F600\U0001F600\U0001F600\U0001F600\"}")]
    [TestCase("{\"a\":\"\\u0041\\u0041\\u0041\\u0041\"}")]
    [TestCase("{\"a-very-long-key-name\":1}")]
    [TestCase("{\"a\":123456789012345}")]
    [TestCase("{\"a\":")]
    [TestCase("")]
    public void CheckStrings_ValuesWithinLimitKeysNumbersOrInvalidJson_Pass(string json) =>
        Assert.That(Check(json), Is.Null);

    private static string? CheckConfig(string json) => PayloadValidator.CheckStrings(Encoding.UTF8.GetBytes(json), 4, configValueLength: 8);

    [TestCase("{\"Config\":[{\"Key\":\"k\",\"Value\":\"12345678\"}]}")]
    [TestCase("{\"config\":{\"key\":\"k\",\"value\":\"12345678\"}}")]
    [TestCase("{\"UserConfig\":[{\"Name\":\"k\",\"Value\":\"12345678\"}]}")]
    [TestCase("{\"Calls\":[{\"n\":\"S\",\"o\":{\"Config\":[{\"Key\":\"k\",\"Value\":\"12345678\"}]}}]}")]
    public void CheckStrings_ConfigValueUpToItsOwnLimit_Passes(string json) =>
        Assert.That(CheckConfig(json), Is.Null);

    [TestCase("{\"Config\":[{\"Key\":\"k\",\"Value\":\"123456789\"}]}", "Config[0].Value is 9 characters long; the limit is 8")]
    [TestCase("{\"Config\":{\"Key\":\"k\",\"Value\":\"123456789\"}}", "Config.Value is 9 characters long; the limit is 8")]
    [TestCase("{\"Config\":[{\"Key\":\"kkkkk\",\"Value\":\"v\"}]}", "Config[0].Key is 5 characters long; the limit is 4")]
    [TestCase("{\"Value\":\"12345\"}", "Value is 5 characters long; the limit is 4")]
    [TestCase("{\"Other\":{\"Value\":\"12345\"}}", "Other.Value is 5 characters long; the limit is 4")]
    [TestCase("{\"Config\":{\"Nested\":{\"Value\":\"12345\"}}}", "Config.Nested.Value is 5 characters long; the limit is 4")]
    public void CheckStrings_OtherStringsAndLongerConfigValues_KeepTheirLimit(string json, string expected) =>
        Assert.That(CheckConfig(json), Is.EqualTo(expected));
}
