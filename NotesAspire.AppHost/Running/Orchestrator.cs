using System.Diagnostics;
using NotesAspire.AppHost.Datadog;
using NotesAspire.AppHost.Hosting;
using NotesAspire.AppHost.Model;
using NotesAspire.AppHost.Postgres;
using NotesAspire.AppHost.Processes;
using NotesAspire.AppHost.Telemetry;
using NotesAspire.AppHost.Terminal;

namespace NotesAspire.AppHost.Running;

/// <summary>
/// Run mode: starts every resource of the model in dependency order (PostgreSQL and the calendar at once, notes once both
/// are healthy), reports their states, and on shutdown stops the services, then PostgreSQL.
/// </summary>
public sealed class Orchestrator(AppModel model, AppHostOptions options)
{
    private readonly ResourceCatalog _catalog = new();
    // The services need no Datadog key: the AppHost forwards their telemetry to the agent.
    private readonly ParentBoundProcessLauncher _launcher = new(withheldVariables: DatadogAgent.ApiKeyVariable);

    /// <summary>Everything the dashboard shows: the same catalog the console reports from.</summary>
    public ResourceCatalog Catalog => _catalog;

    /// <returns>The process exit code: 0 after a requested stop, 1 when the application could not run.</returns>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        StateFolder.CreatePrivate(options.StateDirectory);
        var server = model.OfType<PostgresServerResource>().SingleOrDefault();
        var postgres = server is null ? null : await ChoosePostgresAsync(server);
        var projects = model.OfType<ProjectResource>().ToList();
        var ports = projects.ToDictionary(project => project.Name, project => options.PortFor(project) ?? project.HttpPort);
        if (FindPortProblem(ports, server, postgres?.Host, AppHostTelemetry.Ports(options)) is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }

        var endpoints = new LocalEndpoints(ports, postgres?.Host.Endpoint);
        foreach (var snapshot in (postgres?.Initial() ?? []).Concat(projects.Select(project => ProjectRunner.Initial(project, endpoints.HttpUrl(project)))))
        {
            _catalog.Add(snapshot);
        }

        var application = _catalog.GetResources();
        await using var telemetry = await AppHostTelemetry.StartAsync(options, _catalog, Console.Out);
        var runners = projects.Select(project => new ProjectRunner(
            project,
            endpoints.HttpUrl(project),
            () => LocalServiceEnvironment.For(project, model.Tags, endpoints, telemetry.Exporter),
            _catalog,
            _launcher)).ToList();

        using var reporter = new ConsoleReporter(_catalog, Console.Out, ConsoleReporter.ShouldUseColor);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var failed = false;
        async Task RunOrFail(Func<Task> run)
        {
            try
            {
                await run();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception exception)
            {
                await Console.Error.WriteLineAsync($"error: {exception.Message}");
                failed = true;
                await stop.CancelAsync();
            }
        }

        var services = runners.Select(runner => RunOrFail(() => runner.RunAsync(stop.Token))).ToList();
        var monitor = postgres is null ? Task.CompletedTask : RunOrFail(async () =>
        {
            await postgres.StartAsync(stop.Token);
            await postgres.MonitorAsync(stop.Token);
        });
        var agent = RunOrFail(() => telemetry.RunAgentAsync(stop.Token));
        var ready = ReportWhenReadyAsync(application, projects, ports, telemetry.DashboardUrl, stop.Token);
        try
        {
            await Task.WhenAll([.. services, monitor, agent, ready]);
        }
        finally
        {
            // Whatever ended the run, the database goes last, and goes: a container would otherwise stay up.
            if (postgres is not null)
            {
                await postgres.StopAsync();
            }
        }

        return failed ? 1 : 0;
    }

    private async Task<PostgresRunner> ChoosePostgresAsync(PostgresServerResource server)
    {
        var host = await PostgresHostSelector.ChooseAsync(
            server, options.PostgresConnectionString, options.PortFor(server), options.StateDirectory, _launcher, options.LocalPostgres);
        Console.WriteLine($"{server.Name}: {host.Description}");
        return new PostgresRunner(server, host, _catalog);
    }

    /// <summary>Checked before anything starts, so a taken port never leaves half an application running.</summary>
    private static string? FindPortProblem(
        Dictionary<string, int> ports, PostgresServerResource? server, IPostgresHost? postgres, IEnumerable<(string Owner, int Port, string Option)> others)
    {
        var wanted = ports.Select(pair => (Owner: pair.Key, Port: pair.Value, Option: $"--{pair.Key}-port")).ToList();
        if (server is not null && postgres?.LocalPort is { } postgresPort)
        {
            wanted.Add((server.Name, postgresPort, $"--{server.Name}-port"));
        }

        // Port 0 asks the system for a free one: nothing to check.
        wanted.AddRange(others.Where(other => other.Port != 0));
        foreach (var (owner, port, option) in wanted)
        {
            if (wanted.FirstOrDefault(other => other.Port == port && other.Owner != owner) is { Owner: not null } other)
            {
                return $"{owner} and {other.Owner} both want port {port}. Choose another with {option} <port>.";
            }

            if (PortCheck.IsInUse(port))
            {
                return $"{owner}: port {port} is in use by another program. Stop it, or choose another port with {option} <port>.";
            }
        }

        return null;
    }

    /// <summary>Once the application's own resources are healthy; the Datadog Agent, an extra, is not waited for.</summary>
    private async Task ReportWhenReadyAsync(
        IReadOnlyList<ResourceSnapshot> application, List<ProjectResource> projects, Dictionary<string, int> ports, string? dashboardUrl, CancellationToken stopping)
    {
        try
        {
            await Task.WhenAll(application.Select(resource => _catalog.WaitUntilAsync(resource.Name, r => r.IsHealthy, stopping)));
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var elapsed = DateTime.Now - Process.GetCurrentProcess().StartTime;
        // The front door first: services no other service references.
        var urls = projects
            .OrderBy(project => projects.Count(other => other.References.Contains(project)))
            .Select(project => $"{project.Name} http://localhost:{ports[project.Name]}")
            .Concat(dashboardUrl is null ? [] : [$"dashboard {dashboardUrl}"]);
        Console.WriteLine($"Ready in {elapsed.TotalSeconds:0.0} s — {string.Join(", ", urls)}");
    }
}
