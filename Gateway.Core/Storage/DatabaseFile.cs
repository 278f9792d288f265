namespace Gateway.Core.Storage;

/// <summary>Checks, before anything is written beside it, that a database path can be the gateway's SQLite file.</summary>
public static class DatabaseFile
{
    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> (or <see cref="IOException"/>) naming <paramref name="path"/> when it is a
    /// folder, cannot be read, or holds something other than a SQLite database; a missing or empty file passes (SQLite
    /// takes an empty file as an empty database).
    /// </summary>
    /// <remarks>
    /// Reads with a handle of its own: call it before this process opens SQLite connections to the file, since closing any
    /// handle on a file drops the POSIX locks SQLite holds on it in this process.
    /// </remarks>
    public static void Check(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new InvalidDataException($"database {full} is a folder, not a file");
        if (!File.Exists(full))
            return;
        Span<byte> start = stackalloc byte[16];
        int read;
        try
        {
            using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"database {full} cannot be read: {e.Message}", e);
        }
        if (read > 0 && !start[..read].SequenceEqual(Header))
            throw new InvalidDataException($"database {full} is not a SQLite database");
    }
}
