using System.Diagnostics;
using System.Text.RegularExpressions;
using NotesAspire.AppHost.Processes;
using NotesAspire.Tests.Infrastructure;

namespace NotesAspire.Tests.AppHost;

/// <summary>The real AppHost, started from its build as a user would start it, its console read line by line.</summary>
public sealed partial class AppHostProcess : IAsyncDisposable
{
    /// <summary>Generous: a cold start runs initdb, and the machine's two cores may be busy with other builds.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Received(line.Data);
        _process.ErrorDataReceived += (_, line) => Received(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToList();
            }
        }
    }

    public string Output => string.Join(Environment.NewLine, Lines);

    public static AppHostProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <param name="environment">Added to the AppHost's environment, which the services inherit.</param>
    public static AppHostProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Repository.BuiltAssembly("NotesAspire.AppHost"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        // The AppHost must choose PostgreSQL itself: a connection string meant for the tests' own server would win.
        // Nor may a Datadog setup of the machine running the tests send their telemetry anywhere.
        foreach (var name in new[] { "ConnectionStrings__postgres", "DD_API_KEY", "DD_SITE", "DD_AGENT_HOST" })
        {
            startInfo.Environment.Remove(name);
        }

        // The services export every 200 ms instead of every 5 s, so tests wait less for their telemetry.
        startInfo.Environment["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        startInfo.Environment["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }
        return new AppHostProcess(Process.Start(startInfo)!);
    }

    public async Task WaitUntilReadyAsync()
    {
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(StartTimeout));
        if (done != _ready.Task)
        {
            throw new InvalidOperationException(
                $"The AppHost {(done == exited ? "exited" : "was not ready in time")}. Its output:{Environment.NewLine}{Output}");
        }
    }

    /// <summary>The process the AppHost last reported running for the resource: <c>[time] name Running url (pid N)</c>.</summary>
    public int? CurrentProcessId(string resource) =>
        Lines.Select(line => RunningLine().Match(line))
            .Where(match => match.Success && match.Groups["name"].Value == resource)
            .Select(match => (int?)int.Parse(match.Groups["pid"].Value))
            .LastOrDefault();

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>What Ctrl+C or a service manager does.</summary>
    public Task<int> StopAsync()
    {
        Signals.Send(_process.Id, Signals.SIGTERM);
        return WaitForExitAsync();
    }

    public void Kill() => Signals.Send(_process.Id, Signals.SIGKILL);

    /// <summary>A graceful stop, else a kill: its children go with it (parent-death signal), so no test leaks a tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync();
            }
            catch (OperationCanceledException)
            {
                Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        if (line.StartsWith("Ready in ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    [GeneratedRegex(@"^\[[\d:]+\] (?<name>\S+)\s+Running\s.*\(pid (?<pid>\d+)\)$")]
    private static partial Regex RunningLine();
}
