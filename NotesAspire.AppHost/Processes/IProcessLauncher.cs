using System.Diagnostics;

namespace NotesAspire.AppHost.Processes;

/// <summary>Starts a child process; the AppHost's launcher ties each child's life to its own.</summary>
public interface IProcessLauncher
{
    Process Start(ProcessStartInfo startInfo);
}

/// <summary>Plain <see cref="Process.Start(ProcessStartInfo)"/>, for callers that stop their children themselves (tests).</summary>
public sealed class DirectProcessLauncher : IProcessLauncher
{
    public static DirectProcessLauncher Instance { get; } = new();

    private DirectProcessLauncher()
    {
    }

    public Process Start(ProcessStartInfo startInfo) =>
        Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
}
