using System.Diagnostics;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Processes;

namespace NotesAspire.AppHost.Running;

/// <summary>
/// Runs one service from its built output: waits for what it needs, starts it, watches its health, restarts it with
/// backoff when it exits on its own, and stops it gracefully when the AppHost stops.
/// </summary>
public sealed class ProjectRunner(
    ProjectResource project, string url, Func<Dictionary<string, string>> environment, ResourceCatalog catalog, IProcessLauncher launcher)
{
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A service answers /health a moment after it starts; failures before then are not worth a red line.</summary>
    public static readonly TimeSpan StartupGrace = TimeSpan.FromSeconds(10);

    private string Name => project.Name;

    public static ResourceSnapshot Initial(ProjectResource project, string url) =>
        new(project.Name, ResourceTypes.Project, ResourceStates.NotStarted, null, [url], 0, null, null);

    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new RestartBackoff();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await WaitForDependenciesAsync(stopping);
                using var process = Start();
                var healthyFor = await SuperviseAsync(process, stopping);
                if (stopping.IsCancellationRequested)
                {
                    await StopAsync(process);
                    return;
                }

                var delay = backoff.Next(healthyFor);
                catalog.Update(Name, resource => resource with { State = ResourceStates.Exited, Health = null, ProcessId = null, ExitCode = process.ExitCode });
                catalog.Update(Name, resource => resource with { State = ResourceStates.Restarting, Restarts = resource.Restarts + 1, RestartDelay = delay });
                await Task.Delay(delay, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            catalog.Update(Name, resource => resource with { State = ResourceStates.Stopped, Health = null, ProcessId = null, RestartDelay = null });
        }
    }

    private async Task WaitForDependenciesAsync(CancellationToken stopping)
    {
        var pending = project.WaitsFor.Where(dependency => !catalog.Get(dependency.Name).IsHealthy).ToList();
        if (pending.Count > 0)
        {
            catalog.Update(Name, resource => resource with { State = ResourceStates.Waiting, RestartDelay = null });
            await Task.WhenAll(pending.Select(dependency => catalog.WaitUntilAsync(dependency.Name, resource => resource.IsHealthy, stopping)));
        }
    }

    private Process Start()
    {
        // The AppHost's build builds the services too (ProjectReference), with its configuration and target framework.
        var directory = Path.GetDirectoryName(project.ProjectPath)!;
        var assembly = Path.Combine(directory, "bin", BuildInfo.Configuration, BuildInfo.TargetFramework, $"{Path.GetFileNameWithoutExtension(project.ProjectPath)}.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{Name}: {assembly} is missing. Build the solution first: dotnet build.");
        }

        catalog.Update(Name, resource => resource with { State = ResourceStates.Starting, RestartDelay = null, ExitCode = null });
        var startInfo = new ProcessStartInfo("dotnet")
        {
            // As an Aspire AppHost does: the project folder is the working folder, so relative paths mean the same as in development.
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        foreach (var (key, value) in environment())
        {
            startInfo.Environment[key] = value;
        }

        var process = launcher.Start(startInfo);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) catalog.AddConsoleLog(Name, line.Data, isError: false); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) catalog.AddConsoleLog(Name, line.Data, isError: true); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        catalog.Update(Name, resource => resource with { State = ResourceStates.Running, Health = null, ProcessId = process.Id, StartedAt = DateTimeOffset.Now });
        return process;
    }

    /// <summary>Polls /health until the process exits or the AppHost stops; returns how long the run ended healthy.</summary>
    private async Task<TimeSpan> SuperviseAsync(Process process, CancellationToken stopping)
    {
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var started = Stopwatch.StartNew();
        var healthySince = (Stopwatch?)null;
        try
        {
            while (!exited.IsCompleted)
            {
                // Quick probes until the first answer, so "ready" comes as soon as it is true; then every second.
                var interval = catalog.Get(Name).Health is null ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(1);
                await Task.WhenAny(exited, Task.Delay(interval, stopping));
                stopping.ThrowIfCancellationRequested();
                if (exited.IsCompleted)
                {
                    break;
                }

                if (await HealthChecks.HttpAsync(url, stopping))
                {
                    healthySince ??= Stopwatch.StartNew();
                    catalog.Update(Name, resource => resource with { Health = HealthStates.Healthy });
                }
                else if (!exited.IsCompleted && (healthySince is not null || started.Elapsed > StartupGrace))
                {
                    healthySince = null;
                    catalog.Update(Name, resource => resource with { Health = HealthStates.Unhealthy });
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }

        return healthySince?.Elapsed ?? TimeSpan.Zero;
    }

    /// <summary>SIGTERM, which ASP.NET Core answers with a graceful shutdown; a kill if that takes too long.</summary>
    private async Task StopAsync(Process process)
    {
        catalog.Update(Name, resource => resource with { State = ResourceStates.Stopping, Health = null });
        if (process.HasExited)
        {
            return;
        }

        Signals.Send(process.Id, Signals.SIGTERM);
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
