using System.Text.Json;

namespace Gateway.Tests.Support;

/// <summary>Reads the audit trail, to assert that a write left exactly one record.</summary>
public static class Audit
{
    /// <summary>How many audit records the host's database holds.</summary>
    public static Task<long> CountAsync(TestHost host) => host.ScalarAsync<long>("SELECT COUNT(*) FROM audit_log");

    /// <summary>
    /// Asserts that exactly one record was added since <paramref name="countBefore"/>, that it names
    /// <paramref name="function"/> and holds none of <paramref name="secrets"/>; returns it as GetAuditLog answers it.
    /// </summary>
    public static async Task<JsonElement> AssertOneRecordAsync(TestHost host, TestClient admin, long countBefore, string function, params string[] secrets)
    {
        Assert.That(await CountAsync(host), Is.EqualTo(countBefore + 1), $"{function} must append exactly one audit record");
        var log = await admin.CallAsync("GetAuditLog", "{\"Limit\":1}");
        var record = log.Payload[0];
        Assert.That(record.GetProperty("Function").GetString(), Is.EqualTo(function), log.O);
        var payload = record.GetProperty("Payload").GetRawText();
        Assert.That(payload, Does.Not.Contain("Password").IgnoreCase, log.O);
        foreach (var secret in secrets)
            Assert.That(log.O, Does.Not.Contain(secret), "the audit record holds a secret");
        return record;
    }
}
