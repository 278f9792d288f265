using Gateway.Tests.Support;

namespace Gateway.Tests.Storage;

/// <summary>Password hashes, emails, the audit log and the master key are readable by the gateway's own user only.</summary>
[TestFixture]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FilesAtRestTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Test]
    public async Task FirstStart_InNewFolder_CreatesFolderDatabaseWalShmAndKeyOwnerOnly()
    {
        var root = Directory.CreateTempSubdirectory("gateway-modes-");
        try
        {
            var folder = Path.Combine(root.FullName, "fresh", "data");
            await using (var host = await TestHost.StartAsync($"--Gateway:DatabasePath={Path.Combine(folder, "gateway.db")}"))
            {
                using var admin = await host.ConnectAdminAsync();
                Assert.That((await admin.CallAsync("AddAccount", "{\"AccountName\":\"modes\"}")).ErrorCode(), Is.Zero);

                foreach (var file in new[] { "gateway.db", "gateway.db-wal", "gateway.db-shm", "gateway.key" })
                {
                    var path = Path.Combine(folder, file);
                    Assert.That(File.Exists(path), Is.True, file);
                    Assert.That(File.GetUnixFileMode(path), Is.EqualTo(OwnerReadWrite), file);
                }
                Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerReadWrite | UnixFileMode.UserExecute), "the data folder");
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
