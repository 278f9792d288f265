using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Core.Handlers;
using Gateway.Core.Dispatch;
using Gateway.Core.Protocol;
using Gateway.Tests.Support;

namespace Gateway.Tests.Dispatch;

[TestFixture]
public sealed class BindingErrorsTests
{
    private static string Detail<T>(JsonTypeInfo<T> request, string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(bytes, request))!;
        return BindingErrors.Describe(error, bytes, request, "TheCall");
    }

    [TestCase("{\"UserId\":\"abc\"}", "UserId must be an integer, not \"abc\"")]
    [TestCase("{\"UserId\":1.5}", "UserId must be an integer, not 1.5")]
    [TestCase("{\"UserId\":\"\"}", "UserId must be an integer, not \"\"")]
    [TestCase("{\"UserId\":[]}", "UserId must be an integer, not []")]
    [TestCase("{\"UserId\":99999999999}", "UserId must be an integer from -2147483648 to 2147483647, not 99999999999")]
    [TestCase("{\"UserId\":\"-99999999999\"}", "UserId must be an integer from -2147483648 to 2147483647, not \"-99999999999\"")]
    [TestCase("{\"Big\":true}", "Big must be an integer, not true")]
    [TestCase("{\"Big\":99999999999999999999}", "Big must be an integer from -9223372036854775808 to 9223372036854775807, not 99999999999999999999")]
    [TestCase("{\"Flag\":\"yes\"}", "Flag must be a boolean, not \"yes\"")]
    [TestCase("{\"Flag\":1}", "Flag must be a boolean, not 1")]
    [TestCase("{\"UserName\":5}", "UserName must be a string, not 5")]
    [TestCase("{\"UserName\":{\"a\":1}}", "UserName must be a string, not {\"a\":1}")]
    [TestCase("{\"UserName\":\"\\uD800\"}", "UserName must be a string of valid Unicode text, not \"\\uD800\"")]
    public void Describe_ScalarKeyOfTheWrongType_NamesTheKeyTheTypeAndTheValue(string payload, string expected)
    {
        Assert.That(Detail(TestJson.Context.EchoPayload, payload), Is.EqualTo(expected));
    }

    [Test]
    public void Describe_KeyInOtherCase_FindsItsTypeAndNamesTheKeyAsSent()
    {
        Assert.That(Detail(TestJson.Context.EchoPayload, "{\"userid\":\"abc\"}"), Is.EqualTo("userid must be an integer, not \"abc\""));
    }

    [TestCase("{\"Permissions\":\"Trading\"}", "Permissions must be a list of strings, not \"Trading\"")]
    [TestCase("{\"Permissions\":[\"Trading\",5]}", "Permissions[1] must be a string, not 5")]
    [TestCase("{\"Permissions\":{\"0\":\"Trading\"}}", "Permissions must be a list of strings, not {\"0\":\"Trading\"}")]
    public void Describe_ListOfStrings_NamesTheListOrTheElement(string payload, string expected)
    {
        Assert.That(Detail(HandlerJson.Context.ApiKeyRequest, payload), Is.EqualTo(expected));
    }

    [TestCase("{\"UserInfo\":{\"TFCNumber\":\"x\"}}", "UserInfo.TFCNumber must be an integer, not \"x\"")]
    [TestCase("{\"UserInfo\":{\"TFCNumber\":99999999999}}", "UserInfo.TFCNumber must be an integer from -2147483648 to 2147483647, not 99999999999")]
    [TestCase("{\"userinfo\":{\"emailon\":\"no\"}}", "userinfo.emailon must be a boolean, not \"no\"")]
    [TestCase("{\"UserInfo\":{\"UserPreferences\":[1]}}", "UserInfo.UserPreferences must be an object, not [1]")]
    [TestCase("{\"UserInfo\":5}", "UserInfo must be an object, not 5")]
    public void Describe_NestedKey_NamesThePathAndTheType(string payload, string expected)
    {
        Assert.That(Detail(HandlerJson.Context.CreateUserRequest, payload), Is.EqualTo(expected));
    }

    [TestCase("{\"UserInfo\":{\"Password\":12345678}}", "UserInfo.Password must be a string")]
    [TestCase("{\"UserInfo\":{\"passwordhash\":[\"hunter22\"]}}", "UserInfo.passwordhash must be a string")]
    public void Describe_SecretKey_NeverQuotesTheValue(string payload, string expected)
    {
        Assert.That(Detail(HandlerJson.Context.CreateUserRequest, payload), Is.EqualTo(expected));
    }

    [Test]
    public void Describe_LongValue_QuotesItCutTo32Characters()
    {
        var detail = Detail(TestJson.Context.EchoPayload, "{\"UserId\":\"" + new string('x', 100) + "\"}");

        Assert.That(detail, Is.EqualTo("UserId must be an integer, not \"" + new string('x', 31) + "…"));
    }

    [TestCase("[1,2]")]
    [TestCase("5")]
    [TestCase("\"text\"")]
    public void Describe_PayloadNotAnObject_SaysSo(string payload)
    {
        Assert.That(Detail(HandlerJson.Context.UserRequest, payload), Is.EqualTo("the payload of TheCall must be a JSON object"));
    }
}
