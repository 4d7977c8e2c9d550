using System.Runtime.InteropServices;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>POSIX signals for the processes tests start and kill: <see cref="System.Diagnostics.Process"/> can only kill.</summary>
public static class Signals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;

    /// <summary>False when the process is already gone.</summary>
    public static bool Send(int processId, int signal) => Kill(processId, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
