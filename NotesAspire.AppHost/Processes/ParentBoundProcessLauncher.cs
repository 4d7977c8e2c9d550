using System.Collections.Concurrent;
using System.Diagnostics;

namespace NotesAspire.AppHost.Processes;

/// <summary>
/// Starts children that cannot outlive the AppHost, even when it is killed with SIGKILL: each one runs under
/// <c>setpriv --pdeathsig KILL</c>, so the kernel kills it when its parent goes, in a process group of its own.
/// </summary>
/// <remarks>
/// Linux sends the parent-death signal when the <em>thread</em> that forked the child exits, not the process, and .NET
/// retires idle thread-pool threads. So every child is forked from one dedicated thread that lives as long as the AppHost.
/// </remarks>
public sealed class ParentBoundProcessLauncher : IProcessLauncher
{
    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> _requests = [];

    private readonly string[] _withheldVariables;

    /// <param name="withheldVariables">The AppHost's own secrets: taken out of every child's environment.</param>
    public ParentBoundProcessLauncher(params string[] withheldVariables)
    {
        _withheldVariables = withheldVariables;
        new Thread(LaunchRequests) { IsBackground = true, Name = "Process launcher" }.Start();
    }

    /// <param name="startInfo">Arguments in <see cref="ProcessStartInfo.ArgumentList"/>: the launcher puts its own before them.</param>
    public Process Start(ProcessStartInfo startInfo)
    {
        if (!string.IsNullOrEmpty(startInfo.Arguments))
        {
            throw new ArgumentException("Give the arguments as ArgumentList, not as one Arguments string.", nameof(startInfo));
        }

        foreach (var name in _withheldVariables)
        {
            startInfo.Environment.Remove(name);
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((BindToParent(startInfo), started));
        return started.Task.GetAwaiter().GetResult();
    }

    private void LaunchRequests()
    {
        foreach (var (startInfo, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(DirectProcessLauncher.Instance.Start(startInfo));
            }
            catch (Exception exception)
            {
                started.SetException(exception);
            }
        }
    }

    /// <summary>
    /// <c>setsid</c> gives the child a process group of its own: a Ctrl+C in the terminal goes to the whole foreground
    /// group, and would otherwise stop PostgreSQL while the services still use it; this way only the AppHost gets it, and
    /// stops the services first. <c>setpriv</c> sets the parent-death signal. Both exec: the pid we hold is the program's.
    /// </summary>
    private static ProcessStartInfo BindToParent(ProcessStartInfo startInfo)
    {
        if (!OperatingSystem.IsLinux())
        {
            return startInfo;
        }

        // Already a setpriv call (e.g. switching user for PostgreSQL) just gains the option; anything else is wrapped.
        string[] bind = startInfo.FileName == "setpriv"
            ? ["setpriv", "--pdeathsig", "KILL"]
            : ["setpriv", "--pdeathsig", "KILL", "--", startInfo.FileName];
        startInfo.FileName = "setsid";
        for (var i = 0; i < bind.Length; i++)
        {
            startInfo.ArgumentList.Insert(i, bind[i]);
        }

        return startInfo;
    }
}
