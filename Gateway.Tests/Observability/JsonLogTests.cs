using System.Text;
using System.Text.Json;
using Gateway.Observability;
using Gateway.Tests.Support;
using NLog;

namespace Gateway.Tests.Observability;

/// <summary><c>Gateway:Logging:Json=true</c> turns the console into one JSON object per line with the fields as properties.</summary>
[TestFixture]
public sealed class JsonLogTests
{
    [Test]
    public void Layout_EventWithNamedHoles_RendersOneLineOfJsonWithTheHolesAsProperties()
    {
        var logEvent = LogEventInfo.Create(LogLevel.Warn, "Gateway.Security", null, "Login refused for {UserName} from {RemoteAddress}: {Reason}",
            ["ann \"the\"\nadmin", "203.0.113.9", "wrong_password"]);

        var line = JsonConsole.Layout().Render(logEvent);

        Assert.That(line, Does.Not.Contain('\n'));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.That(json.GetProperty("level").GetString(), Is.EqualTo("WARN"));
        Assert.That(json.GetProperty("logger").GetString(), Is.EqualTo("Gateway.Security"));
        Assert.That(json.GetProperty("message").GetString(), Does.StartWith("Login refused for "));
        Assert.That(json.GetProperty("UserName").GetString(), Is.EqualTo("ann \"the\"\nadmin"));
        Assert.That(json.GetProperty("RemoteAddress").GetString(), Is.EqualTo("203.0.113.9"));
        Assert.That(DateTimeOffset.Parse(json.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Offset, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Host_JsonLoggingSetting_WritesOnlyParseableJsonLines(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("gateway-json-log-");
        try
        {
            var name = "json-" + Guid.NewGuid().ToString("N")[..10];
            await using var host = await HostProcess.StartAsync(dir.FullName,
                new Dictionary<string, string> { ["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword }, "--Gateway:Logging:Json=true");
            using (var http = new HttpClient { BaseAddress = host.HttpUri, Timeout = TimeSpan.FromSeconds(15) })
            {
                var body = new StringContent(JsonSerializer.Serialize(new { UserName = name, Password = "wrong-password" }), Encoding.UTF8, "application/json");
                using var reply = await http.PostAsync(new Uri("/AP/AuthenticateUser", UriKind.Relative), body, ct);
                Assert.That(await reply.Content.ReadAsStringAsync(ct), Does.Contain("\"Authenticated\":false"));
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (!host.Output.Contains(name, StringComparison.Ordinal))
            {
                Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"no line named {name} within 15 s:\n{host.Output}");
                await Task.Delay(20, ct);
            }

            var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.That(parsed.Select(p => p.ValueKind), Is.All.EqualTo(JsonValueKind.Object));
            Assert.That(parsed.All(p => p.TryGetProperty("time", out _) && p.TryGetProperty("level", out _) && p.TryGetProperty("logger", out _) && p.TryGetProperty("message", out _)), Is.True);
            Assert.That(parsed, Has.Some.Matches<JsonElement>(p => p.GetProperty("message").GetString()!.StartsWith("Now listening on: ", StringComparison.Ordinal)));
            var security = parsed.Single(p => p.GetProperty("message").GetString()!.Contains(name, StringComparison.Ordinal));
            Assert.That(security.GetProperty("level").GetString(), Is.EqualTo("WARN"));
            Assert.That(security.GetProperty("logger").GetString(), Is.EqualTo("Gateway.Security"));
            Assert.That(security.GetProperty("UserName").GetString(), Is.EqualTo(name));
            Assert.That(security.GetProperty("RemoteAddress").GetString(), Is.EqualTo("127.0.0.1"));
            Assert.That(security.GetProperty("Reason").GetString(), Is.EqualTo("unknown_user"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
