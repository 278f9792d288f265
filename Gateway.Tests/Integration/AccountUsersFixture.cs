using System.Net;
using System.Text.Json;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>A host, an operator token and helpers for the seed-004 resource <c>/accounts/{accountId}/accountUsers</c>.</summary>
public abstract class AccountUsersFixture : HostFixture
{
    /// <summary>The response sample of seed 004_76783264d16b4943.txt, verbatim.</summary>
    protected const string SeedSample = """
        {
          "Id": 1,
          "UserId": 2,
          "AccountId": 3,
          "Account": {
            "Id": 1,
            "Name": "sample string 2",
            "AccountType": 0,
            "TFCNumber": 3,
            "StreetAddress": "sample string 4",
            "City": "sample string 5",
            "State": "sample string 6",
            "ZipCode": "sample string 7",
            "Country": "sample string 8",
            "ViewLineItemPermissionFlag": true,
            "OrderLineItemPermissionFlag": true,
            "HidePricingInformation": true,
            "AccountUsers": []
          },
          "User": {
            "Id": 1,
            "FederatedUserId": "sample string 2",
            "UserName": "sample string 3",
            "FirstName": "sample string 4",
            "LastName": "sample string 5",
            "DisplayName": "sample string 6",
            "EmailAddress": "sample string 7",
            "ExternalUserId": "sample string 8",
            "EmailOn": true,
            "TFCNumber": 1,
            "FOLAccountName": "sample string 10",
            "UserType": 1,
            "RoleType": 0,
            "UserPreferences": {
              "DefaultSiteDashboardViewType": 1,
              "DefaultDashboardVendorFilterType": 0
            },
            "Active": true
          },
          "AccountUserPermissions": [
            {
              "Id": 1,
              "AccountUserId": 2,
              "Permission": 0
            },
            {
              "Id": 1,
              "AccountUserId": 2,
              "Permission": 0
            }
          ]
        }
        """;

    private static readonly Dictionary<HttpStatusCode, string> Titles = new()
    {
        [HttpStatusCode.BadRequest] = "Bad Request",
        [HttpStatusCode.Unauthorized] = "Unauthorized",
        [HttpStatusCode.Forbidden] = "Forbidden",
        [HttpStatusCode.NotFound] = "Not Found",
        [HttpStatusCode.Conflict] = "Conflict",
    };

    protected string Admin { get; private set; } = "";

    [OneTimeSetUp]
    public async Task LoginAdmin() => Admin = await Host.LoginOverHttpAsync("admin", TestHost.AdminPassword);

    protected static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Sends an /AP call as the operator and returns its payload, failing on a non-200.</summary>
    protected async Task<JsonElement> CallAsync(string function, object payload)
    {
        var reply = await Host.PostAsync($"/AP/{function}", JsonSerializer.Serialize(payload), Admin);
        Assert.That(reply.Status, Is.EqualTo(HttpStatusCode.OK), $"{function}: {reply}");
        return reply.Json;
    }

    /// <summary>Creates a user through CreateUser (with <paramref name="externalUserId"/> in UserInfo when given); returns its UserId.</summary>
    protected async Task<int> NewUserAsync(string? externalUserId, string? userName = null)
    {
        var created = await CallAsync("CreateUser", new
        {
            UserInfo = new
            {
                UserName = userName ?? Unique("au-user"), Password = "password-123", Email = Unique("mail") + "@example.com", ExternalUserId = externalUserId,
                FederatedUserId = "fed-1", FirstName = "Ada", LastName = "Lovelace", DisplayName = "Ada L", FOLAccountName = "fol", TFCNumber = 7, RoleType = 2,
            },
        });
        Assert.That(created.GetProperty("result").GetBoolean(), Is.True, created.ToString());
        return created.GetProperty("UserId").GetInt32();
    }

    /// <summary>Adds an account with both line-item flags (so a new link gets permissions 0 and 1); returns its AccountId.</summary>
    protected async Task<int> NewAccountAsync(bool flags = true)
    {
        var name = Unique("au-acct");
        var added = await CallAsync("AddAccount", new
        {
            AccountName = name, AccountHandle = name, AccountType = 1, TFCNumber = 9, StreetAddress = "1 Main St", City = "Springfield", State = "IL",
            ZipCode = "62701", Country = "US", ViewLineItemPermissionFlag = flags, OrderLineItemPermissionFlag = flags, HidePricingInformation = true,
        });
        Assert.That(added.GetProperty("Success").GetBoolean(), Is.True, added.ToString());
        return added.GetProperty("Id").GetInt32();
    }

    protected async Task LinkAsync(int userId, int accountId)
    {
        var linked = await CallAsync("AddUserAccount", new { userId, accountId });
        Assert.That(linked.GetProperty("result").GetBoolean(), Is.True, linked.ToString());
    }

    protected async Task<string> UserAccountsAsync(int userId) =>
        (await CallAsync("GetUserAccounts", new { UserId = userId })).GetRawText();

    protected Task<HttpReply> PostLinkAsync(int accountId, object body, string? token = null, bool useAdmin = true) =>
        Host.PostAsync($"/accounts/{accountId}/accountUsers", JsonSerializer.Serialize(body), token ?? (useAdmin ? Admin : null));

    /// <summary>Asserts an RFC 9457 problem: its status, media type, the type/title/status/detail members; returns the body.</summary>
    protected static JsonElement AssertProblem(HttpReply reply, HttpStatusCode status, string detail)
    {
        Assert.That(reply.Status, Is.EqualTo(status), reply.ToString());
        Assert.That(reply.MediaType, Is.EqualTo("application/problem+json"), reply.ToString());
        var problem = reply.Json;
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("type").GetString(), Is.Not.Null.And.Not.Empty, reply.Body);
            Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo(Titles[status]), reply.Body);
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status), reply.Body);
            Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo(detail), reply.Body);
        });
        return problem;
    }

    /// <summary>The same member names in the same order, recursively, with the same kinds of values as <paramref name="expected"/>.</summary>
    protected static void AssertSameShape(JsonElement expected, JsonElement actual, string path = "$")
    {
        Assert.That(Kind(actual), Is.EqualTo(Kind(expected)), $"{path} has the wrong kind of value");
        if (expected.ValueKind == JsonValueKind.Object)
        {
            Assert.That(actual.EnumerateObject().Select(p => p.Name), Is.EqualTo(expected.EnumerateObject().Select(p => p.Name)), $"{path} has other keys");
            foreach (var member in expected.EnumerateObject())
                AssertSameShape(member.Value, actual.GetProperty(member.Name), $"{path}.{member.Name}");
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0)
        {
            var i = 0;
            foreach (var item in actual.EnumerateArray())
                AssertSameShape(expected[0], item, $"{path}[{i++}]");
        }
    }

    private static JsonValueKind Kind(JsonElement e) => e.ValueKind == JsonValueKind.False ? JsonValueKind.True : e.ValueKind;
}
