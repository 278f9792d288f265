using System.Runtime.InteropServices;

namespace Gateway.Bench;

/// <summary>Raises this process's open-file limit (inherited by the server it starts) to what a run of many sockets needs.</summary>
internal static partial class OpenFiles
{
    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    public static void EnsureAtLeast(int needed)
    {
        if (getrlimit(RlimitNofile, out var limit) != 0 || limit.Current >= (ulong)needed)
            return;
        var raised = limit with { Current = Math.Min(limit.Max, Math.Max((ulong)needed, limit.Current)) };
        if (setrlimit(RlimitNofile, in raised) != 0 || raised.Current < (ulong)needed)
            throw new InvalidOperationException($"open files are limited to {limit.Current} (hard {limit.Max}); {needed} are needed: raise ulimit -n");
        Console.WriteLine($"bench: open-file limit raised from {limit.Current} to {raised.Current}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in Rlimit limit);
}
