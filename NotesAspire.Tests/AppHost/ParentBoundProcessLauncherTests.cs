using System.Diagnostics;
using NotesAspire.AppHost.Processes;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

public sealed class ParentBoundProcessLauncherTests
{
    [Fact]
    public async Task ChildOutlivesTheThreadThatAskedForIt()
    {
        var launcher = new ParentBoundProcessLauncher();

        using var child = StartFromShortLivedThread(startInfo => launcher.Start(startInfo), new ProcessStartInfo("sleep") { ArgumentList = { "60" } });
        await Task.Delay(TimeSpan.FromSeconds(1));

        try
        {
            Assert.True(LinuxProcesses.IsAlive(child.Id));
        }
        finally
        {
            child.Kill();
        }
    }

    /// <summary>Why the launcher has its own thread: the kernel binds the child to the thread that forked it, not the process.</summary>
    [Fact]
    public async Task ParentDeathSignalFollowsTheForkingThread()
    {
        var startInfo = new ProcessStartInfo("setpriv") { ArgumentList = { "--pdeathsig", "KILL", "--", "sleep", "60" } };

        using var child = StartFromShortLivedThread(DirectProcessLauncher.Instance.Start, startInfo);

        Assert.True(await Eventually.IsTrue(() => !LinuxProcesses.IsAlive(child.Id)));
    }

    private static Process StartFromShortLivedThread(Func<ProcessStartInfo, Process> start, ProcessStartInfo startInfo)
    {
        Process? child = null;
        var thread = new Thread(() => child = start(startInfo));
        thread.Start();
        thread.Join();
        return child!;
    }
}
