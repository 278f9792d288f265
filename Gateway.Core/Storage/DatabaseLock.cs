using System.Globalization;
using System.Text;

namespace Gateway.Core.Storage;

/// <summary>
/// One gateway per SQLite file: <c>gateway.db.lock</c> beside the database, locked for the holder's whole life and
/// released by the OS when the holder exits or crashes; it holds the holder's process id. Take it before the key file
/// or the database is touched. The file is never deleted: removing a lock file lets two processes lock two different
/// files of the same name.
/// </summary>
/// <remarks>
/// The lock is a POSIX record lock on one byte past the pid, so another process can still read the pid. Record locks
/// belong to a process, not to a handle, and closing any handle on the file drops them; so within one process a table
/// of held paths stands in for the lock, and nothing in the holding process opens the file a second time.
/// </remarks>
public sealed class DatabaseLock : IDisposable
{
    private const long LockedByte = 4096;
    private static readonly TimeSpan PidWait = TimeSpan.FromSeconds(2);
    private static readonly HashSet<string> HeldHere = new(StringComparer.Ordinal);

    private readonly FileStream _file;
    private bool _released;

    private DatabaseLock(string path, FileStream file)
    {
        Path = path;
        _file = file;
    }

    /// <summary>The absolute path of the lock file.</summary>
    public string Path { get; }

    /// <summary>The lock file of the database at <paramref name="databasePath"/>.</summary>
    public static string PathFor(string databasePath) => System.IO.Path.GetFullPath(databasePath) + ".lock";

    /// <summary>
    /// Takes the lock of the database at <paramref name="databasePath"/> (creating its folder owner-only when missing);
    /// throws <see cref="DatabaseInUseException"/> when another gateway holds it.
    /// </summary>
    public static async Task<DatabaseLock> AcquireAsync(string databasePath, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        var database = System.IO.Path.GetFullPath(databasePath);
        var path = PathFor(database);
        lock (HeldHere)
        {
            if (!HeldHere.Add(path))
                throw new DatabaseInUseException(database, Environment.ProcessId);
        }
        FileStream? file = null;
        try
        {
            file = OpenLocked(path)
                ?? throw new DatabaseInUseException(database, await ReadHolderAsync(path, time, ct).ConfigureAwait(false));
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            file.Position = 0;
            await file.WriteAsync(pid, ct).ConfigureAwait(false);
            file.SetLength(pid.Length);
            await file.FlushAsync(ct).ConfigureAwait(false);
            return new DatabaseLock(path, file);
        }
        catch
        {
            if (file is not null)
                await file.DisposeAsync().ConfigureAwait(false);
            lock (HeldHere)
                HeldHere.Remove(path);
            throw;
        }
    }

    /// <summary>Releases the lock; the file stays, emptied, so no later reader sees a stale pid.</summary>
    public void Dispose()
    {
        if (_released)
            return;
        _released = true;
        try
        {
            _file.SetLength(0);
        }
        catch (IOException)
        {
            // The pid stays behind; the next holder overwrites it.
        }
        _file.Dispose();
        lock (HeldHere)
            HeldHere.Remove(Path);
    }

    // The locked handle, or null when another process holds the lock.
    private static FileStream? OpenLocked(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        try
        {
            Database.CreateFolder(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the database folder {folder}: {e.Message}", e);
        }
        FileStream file;
        try
        {
            // macOS has no record locks through FileStream: there an exclusive flock (FileShare.None) does the work,
            // and a refused start cannot read the holder's pid.
            var options = new FileStreamOptions
            {
                Mode = FileMode.OpenOrCreate,
                Access = FileAccess.ReadWrite,
                Share = OperatingSystem.IsMacOS() ? FileShare.None : FileShare.ReadWrite,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = Database.OwnerOnly;
            file = new FileStream(path, options);
        }
        catch (IOException) when (OperatingSystem.IsMacOS() && File.Exists(path))
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the lock file {path}: {e.Message}", e);
        }
        if (OperatingSystem.IsMacOS())
            return file;
        try
        {
            file.Lock(LockedByte, 1);
            return file;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            file.Dispose();
            return null;
        }
    }

    // The holder writes its pid just after it takes the lock; a reader that comes in between waits a moment for it.
    private static async Task<int> ReadHolderAsync(string path, TimeProvider time, CancellationToken ct)
    {
        var deadline = time.GetTimestamp();
        while (true)
        {
            try
            {
                var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
                var line = text.Split('\n')[0].Trim();
                if (int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0)
                    return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return 0;
            }
            if (time.GetElapsedTime(deadline) > PidWait)
                return 0;
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, ct).ConfigureAwait(false);
        }
    }
}

/// <summary>Another gateway holds the database's lock.</summary>
public sealed class DatabaseInUseException : IOException
{
    /// <summary>Says which database and, when known, which process holds it.</summary>
    public DatabaseInUseException(string databasePath, int pid)
        : base($"database {databasePath} is in use by another gateway ({(pid > 0 ? $"pid {pid.ToString(CultureInfo.InvariantCulture)}" : "pid unknown")})")
    {
        DatabasePath = databasePath;
        HolderPid = pid;
    }

    /// <summary>The database's absolute path.</summary>
    public string DatabasePath { get; }

    /// <summary>The holder's process id, or 0 when it could not be read.</summary>
    public int HolderPid { get; }
}
