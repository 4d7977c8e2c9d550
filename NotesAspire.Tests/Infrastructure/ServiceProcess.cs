using System.Collections.Concurrent;
using System.Diagnostics;

namespace NotesAspire.Tests.Infrastructure;

/// <summary>One of the solution's projects (a service, the bridge, the AppHost), run as a real process from its built assembly.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the service printed so far, for assertions and for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Starts the project's built assembly; returns once it answers <c>/alive</c>.</summary>
    public static Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string> environment) =>
        Launch(project, environment).AliveAsync();

    /// <summary>Starts the project without waiting for it, for tests of how it starts (or refuses to).</summary>
    public static ServiceProcess Launch(string project, IReadOnlyDictionary<string, string> environment)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePorts.One()}");
        return Launch(project, baseAddress, variables =>
        {
            variables["ASPNETCORE_URLS"] = baseAddress.GetLeftPart(UriPartial.Authority);
            variables["ASPNETCORE_ENVIRONMENT"] = "Production";
            foreach (var (key, value) in environment)
            {
                variables[key] = value;
            }
        });
    }

    /// <summary>
    /// Starts the project with the test process's environment as <paramref name="configure"/> changes it, for a service
    /// that takes its addresses its own way; it must answer <c>/alive</c> at <paramref name="baseAddress"/>. A
    /// <paramref name="umask"/> (<c>077</c>) is the one it starts with, as a shell's <c>umask</c> would set it.
    /// </summary>
    public static ServiceProcess Launch(string project, Uri baseAddress, Action<IDictionary<string, string?>> configure, string? umask = null)
    {
        // A test run started in the background (a shell's `&`) ignores SIGINT, every child inherits that, and .NET keeps an
        // ignored SIGINT ignored: env gives the process SIGINT's default handling back, as in a terminal (Ctrl+C).
        string[] command = ["env", "--default-signal=INT", "dotnet", Repository.BuiltAssembly(project)];
        var startInfo = new ProcessStartInfo(umask is null ? command[0] : "/bin/sh",
            umask is null ? command[1..] : ["-c", "umask \"$0\" && exec \"$@\"", umask, .. command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        configure(startInfo.Environment);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {project}.");
        return new ServiceProcess(process, baseAddress);
    }

    /// <summary>Returns once the process answers <c>/alive</c>; stops it and throws if it exits first or never answers.</summary>
    public async Task<ServiceProcess> AliveAsync()
    {
        try
        {
            await WaitUntilAliveAsync();
            return this;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a service; returns its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        Signals.Send(_process.Id, Signals.SIGTERM);
        await WaitForExitAsync(timeout);
        return _process.ExitCode;
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
    }

    /// <summary>SIGTERM, as orchestrators stop services, then a kill if it does not end in time.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            try
            {
                await StopAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task WaitUntilAliveAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                if ((await client.GetAsync("/alive")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The service did not answer /alive within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }
}
