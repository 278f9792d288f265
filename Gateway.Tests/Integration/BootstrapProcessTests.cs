using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// The README's start command as a process: the first start creates admin once it listens and prints a generated
/// password in a block of its own; a start that fails first creates no admin; later starts keep every user as it is.
/// </summary>
[TestFixture]
public sealed partial class BootstrapProcessTests
{
    private const string AdminPasswordVariable = "GATEWAY_ADMIN_PASSWORD";
    private static readonly TimeSpan ExitDeadline = TimeSpan.FromSeconds(10);

    private DirectoryInfo _dir = null!;
    private string _databaseSetting = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("gateway-bootstrap-");
        _databaseSetting = $"--Gateway:DatabasePath={Path.Combine(_dir.FullName, "data", "gateway.db")}";
    }

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    [Test]
    public async Task Start_PasswordVariableSet_AdminUsesItAndRestartKeepsUsersAndPassword()
    {
        const string firstPassword = "first-admin-password-1";
        const string secondPassword = "second-admin-password-2";
        int userId;
        await using (var first = await HostProcess.StartAsync(_dir.FullName, Variable(firstPassword), _databaseSetting))
        {
            using var admin = await TestClient.ConnectAsync(first.WsUri);
            await admin.LoginAsync("admin", firstPassword);
            userId = await admin.CreateUserAsync("carol", "carol-password-1");
            await StopAsync(first);
            Assert.That(first.Output, Does.Not.Contain("generated password"));
            Assert.That(first.Output, Does.Not.Contain(firstPassword), "the password reached a log line");
        }

        await using var second = await HostProcess.StartAsync(_dir.FullName, Variable(secondPassword), _databaseSetting);
        using (var refused = await TestClient.ConnectAsync(second.WsUri))
        {
            var reply = await refused.AuthenticateAsync("admin", secondPassword);
            Assert.That(reply.GetProperty("Authenticated").GetBoolean(), Is.False, "the restart overwrote admin's password");
        }
        using var again = await TestClient.ConnectAsync(second.WsUri);
        await again.LoginAsync("admin", firstPassword);
        var info = await again.CallAsync("GetUserInfo", $"{{\"UserId\":{userId}}}");
        Assert.That(info.Payload.GetProperty("UserName").GetString(), Is.EqualTo("carol"), info.O);
        using var carol = await TestClient.ConnectAsync(second.WsUri);
        await carol.LoginAsync("carol", "carol-password-1");
        Assert.That(second.Output, Does.Not.Contain("generated password"));
    }

    [Test]
    public async Task Start_PasswordVariableAbsent_PrintsAGeneratedPasswordOnceAndLogsItNowhere()
    {
        string password;
        await using (var first = await HostProcess.StartWithoutAsync(_dir.FullName, [AdminPasswordVariable], null, _databaseSetting))
        {
            var banner = await GeneratedPasswordAsync(first);
            password = banner.Groups[1].Value;
            var lines = Lines(first.Output).ToList();
            var at = lines.IndexOf(banner.Value);
            Assert.That(lines[at - 1], Is.Empty, "the password block does not start with a blank line");
            Assert.That(lines[at + 2], Is.Empty, "the password block does not end with a blank line");
            using var admin = await TestClient.ConnectAsync(first.WsUri);
            await admin.LoginAsync("admin", password);
            await StopAsync(first);

            var linesWithPassword = Lines(first.Output).Where(line => line.Contains(password, StringComparison.Ordinal)).ToList();
            Assert.That(linesWithPassword, Is.EqualTo(new[] { banner.Value }), "the generated password reached a log line");
        }

        await using var second = await HostProcess.StartWithoutAsync(_dir.FullName, [AdminPasswordVariable], null, _databaseSetting);
        using var again = await TestClient.ConnectAsync(second.WsUri);
        await again.LoginAsync("admin", password);
        await StopAsync(second);
        Assert.That(second.Output, Does.Not.Contain("generated password"));
        Assert.That(second.Output, Does.Not.Contain(password));
    }

    [Test]
    public async Task Start_FirstStartFailsOnATakenPort_NextStartCreatesAdminAndPrintsItsPassword()
    {
        using (var taken = new TcpListener(IPAddress.Loopback, 0))
        {
            taken.Start();
            var failed = await GatewayCommand.RunAsync(_dir.FullName, [$"--urls=http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}", _databaseSetting]);
            Assert.That(failed.ExitCode, Is.EqualTo(1), failed.ToString());
            Assert.That(failed.Stdout, Does.Not.Contain("generated password"));
        }

        await using var second = await HostProcess.StartWithoutAsync(_dir.FullName, [AdminPasswordVariable], null, _databaseSetting);
        var password = (await GeneratedPasswordAsync(second)).Groups[1].Value;
        using var admin = await TestClient.ConnectAsync(second.WsUri);
        await admin.LoginAsync("admin", password);
    }

    // The block is printed once the gateway listens, so it may come a moment after the listening line.
    private static async Task<Match> GeneratedPasswordAsync(HostProcess host)
    {
        await Poll.UntilAsync(() => GeneratedPasswordLine().IsMatch(host.Output), TimeSpan.FromSeconds(30), $"no generated password was printed:\n{host.Output}");
        return GeneratedPasswordLine().Match(host.Output);
    }

    private static Dictionary<string, string> Variable(string password) => new() { [AdminPasswordVariable] = password };

    private static IEnumerable<string> Lines(string output) => output.Split('\n').Select(line => line.TrimEnd('\r'));

    // SIGTERM, then the exit code; waiting for the exit also waits for the last output lines.
    private static async Task StopAsync(HostProcess host)
    {
        host.Signal(HostProcess.SigTerm);
        Assert.That(await host.WaitForExitAsync(ExitDeadline), Is.Zero, host.Output);
    }

    [GeneratedRegex(@"^Created the operator 'admin' with the generated password: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex GeneratedPasswordLine();
}
