using Gateway.Core.Storage;

namespace Gateway.Tests.Storage;

/// <summary>The lock within one process; SingleGatewayTests take it from two processes.</summary>
[TestFixture]
public sealed class DatabaseLockTests
{
    private DirectoryInfo _dir = null!;
    private string _database = null!;

    [SetUp]
    public void CreateFolder()
    {
        _dir = Directory.CreateTempSubdirectory("gateway-lock-");
        _database = Path.Combine(_dir.FullName, "data", "gateway.db");
    }

    [TearDown]
    public void DeleteFolder() => _dir.Delete(recursive: true);

    [Test]
    public async Task AcquireAsync_HeldAlready_ThrowsInUseNamingTheDatabaseAndThePid()
    {
        using var held = await DatabaseLock.AcquireAsync(_database, TimeProvider.System, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<DatabaseInUseException>(() => DatabaseLock.AcquireAsync(_database, TimeProvider.System, CancellationToken.None));

        Assert.That(refused!.Message, Is.EqualTo($"database {_database} is in use by another gateway (pid {Environment.ProcessId})"));
        Assert.That(held.Path, Is.EqualTo(_database + ".lock"));
    }

    [Test]
    public async Task AcquireAsync_AfterRelease_TakesItAgain()
    {
        (await DatabaseLock.AcquireAsync(_database, TimeProvider.System, CancellationToken.None)).Dispose();

        using var again = await DatabaseLock.AcquireAsync(_database, TimeProvider.System, CancellationToken.None);

        Assert.That(File.Exists(again.Path), Is.True);
        Assert.That(File.Exists(_database), Is.False, "taking the lock created the database");
    }
}
