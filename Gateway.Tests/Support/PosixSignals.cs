using System.Runtime.InteropServices;

namespace Gateway.Tests.Support;

/// <summary>Sends POSIX signals to child processes (SIGINT is what Ctrl+C sends).</summary>
public static partial class PosixSignals
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Gives SIGINT back its default action when this process was started with it ignored (as a non-interactive shell
    /// does for a job run with <c>&amp;</c>): children inherit an ignored SIGINT, and the Ctrl+C tests would then fail.
    /// </summary>
    public static void UnignoreInterrupt()
    {
        if (!OperatingSystem.IsLinux())
            return;
        var current = new SigAction();
        if (SigActionCall(SigInt, IntPtr.Zero, ref current) == 0 && current.Handler == SigIgnore)
        {
            var standard = new SigAction();
            var ignored = new SigAction();
            SigActionSet(SigInt, ref standard, ref ignored);
        }
    }

    private static readonly IntPtr SigIgnore = 1;

    // glibc's struct sigaction on 64-bit Linux: handler, a 1024-bit mask, flags, restorer.
    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct SigAction
    {
        public IntPtr Handler;
        public fixed ulong Mask[16];
        public int Flags;
        public IntPtr Restorer;
    }

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SigActionCall(int signal, IntPtr newAction, ref SigAction oldAction);

    [LibraryImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static partial int SigActionSet(int signal, ref SigAction newAction, ref SigAction oldAction);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
