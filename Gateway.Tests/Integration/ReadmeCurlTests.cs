using System.Diagnostics;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>The README's curl example, run exactly as written against a fresh gateway, prints what the README says.</summary>
[TestFixture]
public sealed class ReadmeCurlTests
{
    [Test]
    public async Task Readme_CurlExample_PrintsWhatTheReadmeShows()
    {
        var readme = await File.ReadAllTextAsync(Repository.File("README.md"));
        var section = Between(readme, "<!-- curl-example:start -->", "<!-- curl-example:end -->");
        var script = Between(section, "```sh\n", "```");
        var expected = Between(readme[readme.IndexOf("<!-- curl-example:end -->", StringComparison.Ordinal)..], "prints\n\n```\n", "```");

        await using var host = await TestHost.StartAsync();
        Assert.That(script, Does.Contain("GW=http://127.0.0.1:8080\n"));
        var output = await RunBashAsync(script.Replace("GW=http://127.0.0.1:8080\n", $"GW={host.HttpUri.GetLeftPart(UriPartial.Authority)}\n", StringComparison.Ordinal));
        Assert.That(output.Replace("\r", "", StringComparison.Ordinal), Is.EqualTo(expected));
    }

    private static async Task<string> RunBashAsync(string script)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["GATEWAY_ADMIN_PASSWORD"] = TestHost.AdminPassword;
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        Assert.That(await stderr, Is.Empty);
        return await stdout;
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.That(from, Is.GreaterThanOrEqualTo(0), $"README lacks '{start}'");
        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.That(to, Is.GreaterThanOrEqualTo(0), $"README lacks '{end}' after '{start}'");
        return text[from..to];
    }
}
