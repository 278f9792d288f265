using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Support;

namespace Gateway.Tests.Integration;

/// <summary>
/// Starts that cannot go on, as processes: exit code 78 for a bad setting, 1 for anything else, one line on stderr naming
/// the setting, path or address, no stack trace, and nothing left behind that should not be.
/// </summary>
[TestFixture]
public sealed class StartupFailureTests
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("gateway-startfail-");

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    [Test]
    public async Task Start_SettingOutOfRange_ExitsWith78AndOneLineCreatingNothing()
    {
        var result = await StartAsync(Path.Combine(_dir.FullName, "data", "gateway.db"), "--Gateway:Limits:MaxMessageBytes=-5");

        Assert.That(result.ExitCode, Is.EqualTo(78), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Is.EqualTo("Gateway:Limits:MaxMessageBytes is -5; it must be between 1024 and 16777216"));
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
        Assert.That(_dir.GetFileSystemInfos(), Is.Empty, "a refused setting left something behind");
    }

    [Test]
    public async Task Start_RegistrationGrantingOperator_ExitsWith78()
    {
        var result = await StartAsync(Path.Combine(_dir.FullName, "data", "gateway.db"), "--Gateway:Registration:DefaultPermissions:0=Trading",
            "--Gateway:Registration:DefaultPermissions:1=Operator");

        Assert.That(result.ExitCode, Is.EqualTo(78), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Is.EqualTo("Gateway:Registration:DefaultPermissions:1 is Operator; it must be one of AccountReadOnly, Deposit, Trading, Withdraw"));
        Assert.That(_dir.GetFileSystemInfos(), Is.Empty, "a refused setting left something behind");
    }

    [Test]
    public async Task Start_PortTaken_ExitsWith1NamingTheAddressAndCommitsNoAdmin()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        var database = Path.Combine(_dir.FullName, "gateway.db");

        var result = await GatewayCommand.RunAsync(_dir.FullName, [$"--urls={address}", $"--Gateway:DatabasePath={database}"]);

        AssertOneLine(result, address);
        Assert.That(result.Stdout, Does.Not.Contain("generated password"));
        await using var db = await DatabaseProbe.OpenAsync(database);
        using var users = db.CreateCommand();
        users.CommandText = "SELECT count(*) FROM users";
        Assert.That(await users.ExecuteScalarAsync(), Is.Zero, "a start that never listened created admin");
    }

    [Test]
    public async Task Start_DatabaseIsATextFile_ExitsWith1WritingNothingBesideIt()
    {
        var database = Path.Combine(_dir.FullName, "gateway.db");
        await File.WriteAllTextAsync(database, "these are notes, not a database\n");

        var result = await StartAsync(database);

        AssertOneLine(result, $"database {database} is not a SQLite database");
        Assert.That(Names(_dir), Is.EqualTo("gateway.db"), "a file was written beside it");
        Assert.That(await File.ReadAllTextAsync(database), Is.EqualTo("these are notes, not a database\n"));
    }

    // Tests run as root in CI, where a read-only folder (mode 0500) does not stop a write. A folder whose parent is a
    // regular file fails for root too (ENOTDIR), on the same path a read-only folder takes: creating the database's
    // folder and lock file, the first things a start writes.
    [Test]
    public async Task Start_DatabaseFolderCannotBeCreated_ExitsWith1NamingTheFolder()
    {
        var blocker = Path.Combine(_dir.FullName, "blocker");
        await File.WriteAllTextAsync(blocker, "a file where the data folder's parent should be\n");
        var folder = Path.Combine(blocker, "data");

        var result = await StartAsync(Path.Combine(folder, "gateway.db"));

        AssertOneLine(result, folder);
        Assert.That(Names(_dir), Is.EqualTo("blocker"));
    }

    // Unreadable for root as well: the key's path is a folder.
    [Test]
    public async Task Start_KeyFileUnreadable_ExitsWith1NamingTheKeyFileAndCreatesNoDatabase()
    {
        var key = Directory.CreateDirectory(Path.Combine(_dir.FullName, "gateway.key")).FullName;
        var database = Path.Combine(_dir.FullName, "gateway.db");

        var result = await StartAsync(database);

        AssertOneLine(result, $"key file {key} is a folder, not a file");
        Assert.That(File.Exists(database), Is.False, "the database was created although the key could not be read");
        Assert.That(Names(_dir), Is.EqualTo("gateway.db.lock gateway.key"));
        Assert.That(await File.ReadAllTextAsync(database + ".lock"), Is.Empty, "the lock file kept the pid of a process that has ended");
    }

    private Task<CommandResult> StartAsync(string database, params string[] settings) =>
        GatewayCommand.RunAsync(_dir.FullName, ["--urls=http://127.0.0.1:0", $"--Gateway:DatabasePath={database}", .. settings]);

    private static string Names(DirectoryInfo dir) => string.Join(' ', dir.GetFileSystemInfos().Select(f => f.Name).Order(StringComparer.Ordinal));

    private static void AssertOneLine(CommandResult result, string expected)
    {
        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines, Has.Count.EqualTo(1), result.ToString());
        Assert.That(result.ErrorLines[0], Does.Contain(expected), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }
}
